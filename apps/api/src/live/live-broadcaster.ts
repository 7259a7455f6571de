import { Injectable, Logger } from '@nestjs/common';
import type { ChangeNotice } from '@stockwall/aggregation';
import { ChangeFeedPosition } from './change-feed-position';
import { KpiRooms } from './kpi-rooms';
import { LiveHeartbeats } from './live-heartbeats';
import { LiveMetrics } from './live-metrics';
import { LiveServer } from './live-server';
import { ALERTS_ROOM } from './live-socket';
import { StockRooms } from './stock-rooms';

/** Hands each change notice of the feed to the rooms: alerts go out at once, stock rows into the coalescers, kpis rooms go stale. */
@Injectable()
export class LiveBroadcaster {
  private readonly logger = new Logger(LiveBroadcaster.name);

  constructor(
    private readonly server: LiveServer,
    private readonly position: ChangeFeedPosition,
    private readonly stockRooms: StockRooms,
    private readonly kpiRooms: KpiRooms,
    private readonly heartbeats: LiveHeartbeats,
    private readonly metrics: LiveMetrics,
  ) {}

  broadcast(notice: ChangeNotice): void {
    const last = this.position.lastNoticeVersion;
    this.position.lastNoticeVersion = notice.version;
    for (const alert of notice.alerts) {
      this.server.namespace.to(ALERTS_ROOM).emit('alert', { version: notice.version, alert });
    }
    if (notice.alerts.length > 0) {
      this.metrics.broadcast('alert', notice.alerts.length);
      this.heartbeats.roomSent(ALERTS_ROOM, Date.now());
    }
    // A skipped version (stream trimmed while the feed was away) or one going back (Redis reset):
    // no delta can bridge it, so every stock client starts again from a snapshot.
    if (last !== null && notice.version !== last + 1) {
      this.logger.warn(`Change feed went from version ${last} to ${notice.version}: every stock client resyncs`);
      this.stockRooms.resync({ reason: 'feed_gap', version: notice.version });
      // KPI deltas are whole, so a skip forward only needs a fresh read. A version going back
      // (Redis reset) would make their clients ignore every delta until it passed what they hold.
      if (notice.version > last) this.kpiRooms.accept(notice.version);
      else this.resyncKpis(notice.version);
      return;
    }
    this.kpiRooms.accept(notice.version);
    this.stockRooms.accept(notice);
  }

  /** The change feed read the stream successfully (with or without notices). */
  feedRead(at: number): void {
    this.position.readAt = at;
  }

  private resyncKpis(version: number): void {
    for (const room of this.kpiRooms.reset(version)) {
      this.server.namespace.to(room).emit('kpis.resync', { reason: 'feed_gap', version });
      this.metrics.broadcast('kpis.resync');
    }
  }
}

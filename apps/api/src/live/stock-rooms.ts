import { Inject, Injectable } from '@nestjs/common';
import type { ChangeNotice } from '@stockwall/aggregation';
import type { ResyncNotice } from '@stockwall/contracts';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { ChangeFeedPosition } from './change-feed-position';
import { LiveHeartbeats } from './live-heartbeats';
import { LiveMetrics } from './live-metrics';
import { LiveServer } from './live-server';
import { ALL_STOCK_ROOM, LOCATION_ROOM_PREFIX } from './live-socket';
import { StockDeltaCoalescer } from './stock-delta-coalescer';

/**
 * The `stock` rooms of one API process: all rows, or one location's. Change notices are merged
 * per room, not per socket: one coalescer and one encoded message per room per flush, whatever
 * the number of clients. A room nobody follows any more is dropped at its next flush.
 */
@Injectable()
export class StockRooms {
  private readonly coalescers = new Map<string, StockDeltaCoalescer>();
  private readonly flushIntervalMs: number;
  /** One timer for the earliest room due to flush, and one pass after each batch of notices. */
  private flushTimer: NodeJS.Timeout | null = null;
  private flushPass: NodeJS.Immediate | null = null;

  constructor(
    private readonly server: LiveServer,
    private readonly position: ChangeFeedPosition,
    private readonly heartbeats: LiveHeartbeats,
    private readonly metrics: LiveMetrics,
    @Inject(STOCKWALL_CONFIG) config: StockwallConfig,
  ) {
    this.flushIntervalMs = config.live.flushIntervalMs;
  }

  /** The room of a location (or of every row), whose coalescer exists from now on: it holds every later change. */
  open(location: string | undefined): string {
    const room = location ? `${LOCATION_ROOM_PREFIX}${location}` : ALL_STOCK_ROOM;
    if (!this.coalescers.has(room)) {
      this.coalescers.set(room, new StockDeltaCoalescer(this.position.version, location ?? null, this.flushIntervalMs));
    }
    return room;
  }

  /** The rows of a notice that follows the last one without a gap. */
  accept(notice: ChangeNotice): void {
    const watermark = notice.watermark === null ? null : new Date(notice.watermark).toISOString();
    for (const coalescer of this.coalescers.values()) coalescer.accept(notice.version, watermark, notice.rows);
    // After the rest of this read's notices: a room that sent nothing lately sends now, the others when due.
    this.flushPass ??= setImmediate(() => {
      this.flushPass = null;
      this.flush();
    });
  }

  /** No delta can bridge a gap: every room restarts at the notice's version and its clients resubscribe. */
  resync(notice: ResyncNotice): void {
    for (const [room, coalescer] of this.coalescers) {
      coalescer.reset(notice.version);
      this.server.namespace.to(room).emit('stock.resync', notice);
      this.metrics.broadcast('stock.resync');
    }
  }

  /** Sends every room's delta that is due and sets the one timer for the next room due. */
  flush(): void {
    const now = Date.now();
    let nextDue = Number.POSITIVE_INFINITY;
    for (const [room, coalescer] of this.coalescers) {
      if (!this.server.hasRoom(room)) {
        this.coalescers.delete(room);
        continue;
      }
      const delta = coalescer.flush(now);
      if (delta) {
        this.server.namespace.to(room).emit('stock.delta', delta);
        this.metrics.broadcast('stock.delta');
        this.heartbeats.roomSent(room, now);
      }
      nextDue = Math.min(nextDue, coalescer.dueAt() ?? Number.POSITIVE_INFINITY);
    }
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (nextDue !== Number.POSITIVE_INFINITY) {
      this.flushTimer = setTimeout(() => this.flush(), Math.max(0, nextDue - now));
      this.flushTimer.unref();
    }
  }

  stop(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.flushPass) clearImmediate(this.flushPass);
  }
}

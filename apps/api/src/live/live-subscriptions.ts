import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlertOutboxRepository, KpiRepository, LiveSnapshotReader } from '@stockwall/aggregation';
import { LIVE_ALERT_SNAPSHOT_LIMIT, SubscribeAck } from '@stockwall/contracts';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { escapeForLog } from '@stockwall/platform';
import { ChangeFeedPosition } from './change-feed-position';
import { KpiRooms } from './kpi-rooms';
import { LiveMetrics } from './live-metrics';
import { ALERTS_ROOM, isFollowedRoom, LiveSocket, subscriberKey } from './live-socket';
import { StockRooms } from './stock-rooms';
import { badRequest, refused, subscribedAck, subscribeSchema } from './subscribe-request';
import { forgetRefilled, SubscribeBucket, takeSubscribe } from './subscribe-limiter';

/** A client that keeps subscribing after this many refusals in a row is not a wall screen: it is disconnected. */
const MAX_REFUSED_SUBSCRIBES = 20;

/**
 * `subscribe`: joins the client's rooms first and then answers with a snapshot and its version,
 * so no change falls between the two. One subscribe at a time per socket, and a rate per token.
 */
@Injectable()
export class LiveSubscriptions {
  private readonly logger = new Logger(LiveSubscriptions.name);
  /** Subscribe allowances by token (its id, else its subject); idle ones are dropped by LiveHousekeeping. */
  private readonly buckets = new Map<string, SubscribeBucket>();

  constructor(
    private readonly position: ChangeFeedPosition,
    private readonly stockRooms: StockRooms,
    private readonly kpiRooms: KpiRooms,
    private readonly snapshots: LiveSnapshotReader,
    private readonly kpis: KpiRepository,
    /** Read side of the alert outbox: the latest alerts for the `alerts` snapshot. */
    private readonly alertOutbox: AlertOutboxRepository,
    private readonly metrics: LiveMetrics,
    @Inject(STOCKWALL_CONFIG) private readonly config: StockwallConfig,
  ) {}

  async subscribe(socket: LiveSocket, body: unknown): Promise<SubscribeAck> {
    if (socket.data.subscribing) {
      this.metrics.refusal('busy');
      this.countRefusal(socket);
      return refused(
        'busy',
        'the previous subscribe of this socket is still being answered',
        this.config.live.flushIntervalMs,
      );
    }
    // Counted by token, not by socket: reconnecting does not start a fresh allowance.
    const user = socket.data.user;
    const holder = user ? subscriberKey(user) : `socket:${socket.id}`;
    const allowance = takeSubscribe(this.buckets.get(holder), this.config.live.subscribe, Date.now());
    this.buckets.set(holder, allowance.bucket);
    if (!allowance.allowed) {
      this.metrics.refusal('rate_limited');
      this.countRefusal(socket);
      return refused('rate_limited', 'too many subscribes on this socket', allowance.retryAfterMs);
    }
    socket.data.refusedSubscribes = 0;
    socket.data.subscribing = true;
    try {
      return await this.answer(socket, body);
    } finally {
      socket.data.subscribing = false;
    }
  }

  /** Drops the allowances that have refilled since their last use. */
  forgetIdle(now: number): void {
    forgetRefilled(this.buckets, this.config.live.subscribe, now);
  }

  /** Past MAX_REFUSED_SUBSCRIBES refusals in a row the socket is closed: ignoring retryAfterMs costs the server on every message. */
  private countRefusal(socket: LiveSocket): void {
    socket.data.refusedSubscribes = (socket.data.refusedSubscribes ?? 0) + 1;
    if (socket.data.refusedSubscribes <= MAX_REFUSED_SUBSCRIBES) return;
    this.logger.warn(
      `Socket ${escapeForLog(socket.id)} ignored ${MAX_REFUSED_SUBSCRIBES} subscribe refusals: disconnected`,
    );
    socket.emit('error', { code: 'rate_limited', message: 'too many subscribes: disconnected' });
    socket.disconnect(true);
  }

  private async answer(socket: LiveSocket, body: unknown): Promise<SubscribeAck> {
    const request = subscribeSchema.safeParse(body);
    if (!request.success) return badRequest(request.error);
    const { channels, filters } = request.data;
    const location = filters.location;
    for (const room of socket.rooms) {
      if (isFollowedRoom(room)) await socket.leave(room);
    }
    socket.data.paused = false;
    socket.data.stockRoom = undefined;
    socket.data.kpisRoom = undefined;
    if (channels.includes('stock')) {
      // The room's coalescer exists before the snapshot is read, so it holds every change after it.
      const room = this.stockRooms.open(location);
      await socket.join(room);
      socket.data.stockRoom = room;
    }
    if (channels.includes('alerts')) await socket.join(ALERTS_ROOM);
    const source = filters.source ?? null;
    if (channels.includes('kpis')) {
      // Like the stock coalescer, the room exists before the snapshot is read.
      const room = this.kpiRooms.open(filters.window, source, this.position.version);
      await socket.join(room);
      socket.data.kpisRoom = room;
    }
    // A client gone while it waited for its turn gets no snapshot read for it.
    if (!socket.connected) return refused('busy', 'disconnected', 0);
    const readsStock = channels.includes('stock') || channels.includes('alerts');
    // Read after joining the alerts room: an alert raised meanwhile is in both (the client keeps one per id).
    const [stock, kpis, alerts] = await Promise.all([
      // A client that leaves while its pages are read (or was closed for ignoring refusals) costs no more of them.
      readsStock ? this.snapshots.read(location, () => !socket.connected) : null,
      socket.data.kpisRoom ? this.kpis.readLiveWithVersion(filters.window, source) : null,
      channels.includes('alerts') ? this.alertOutbox.recent(LIVE_ALERT_SNAPSHOT_LIMIT) : null,
    ]);
    if (readsStock && stock === null) return refused('busy', 'disconnected', 0);
    socket.data.heartbeatAt = Date.now();
    return subscribedAck(stock, kpis, alerts);
  }
}

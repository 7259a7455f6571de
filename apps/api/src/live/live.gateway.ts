import { Inject, Logger, OnModuleDestroy } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { Registry } from 'prom-client';
import { z } from 'zod';
import {
  AlertOutboxRepository,
  ChangeNotice,
  KpiRepository,
  LiveSnapshot,
  LiveSnapshotReader,
  VersionedKpis,
} from '@stockwall/aggregation';
import {
  LIVE_ALERT_SNAPSHOT_LIMIT,
  LIVE_CHANNELS,
  LIVE_HEARTBEAT_MS,
  LIVE_NAMESPACE,
  LIVE_OVERLOADED,
  LiveClientToServerEvents,
  LiveConnectErrorData,
  LiveServerToClientEvents,
  ResyncNotice,
  StockAlert,
  SubscribeAck,
  SubscribeSnapshot,
} from '@stockwall/contracts';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { escapeForLog, INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import type { VerifiedToken } from '../auth/token-policy';
import { CallerAuthenticator } from '../auth/caller-authenticator.service';
import { RevokedTokensRepository } from '../auth/revoked-tokens.repository';
import { DisplayTokenRepository } from '../display-tokens/display-token.repository';
import { liveKpisQuerySchema } from '../kpis/kpis.dto';
import { locationCodeSchema } from '../stock/stock.dto';
import { API_METRICS } from '../metrics/metrics.tokens';
import { KPI_ROOM_PREFIX, KpiRooms } from './kpi-rooms';
import { admitConnection, backpressureAction, LiveFlowLimits } from './live-flow-policy';
import { LiveMetrics } from './live-metrics';
import { StockDeltaCoalescer } from './stock-delta-coalescer';
import { SubscribeBucket, SubscribeLimits, takeSubscribe } from './subscribe-limiter';

interface LiveSocketData {
  user?: VerifiedToken;
  /** The stock room the socket follows (kept while paused, so it can be told to resync). */
  stockRoom?: string;
  /** The kpis room (window and source) the socket follows, kept while paused like the stock room. */
  kpisRoom?: string;
  paused?: boolean;
  /** Epoch ms of the socket's last subscribe ack or heartbeat; unset until it subscribed. */
  heartbeatAt?: number;
  /** A subscribe of this socket is being answered: one snapshot at a time per socket. */
  subscribing?: boolean;
  /** Subscribes refused in a row (busy or over the rate): past MAX_REFUSED_SUBSCRIBES the socket is closed. */
  refusedSubscribes?: number;
}

type LiveNamespace = Namespace<
  LiveClientToServerEvents,
  LiveServerToClientEvents,
  Record<string, never>,
  LiveSocketData
>;
type LiveSocket = Socket<LiveClientToServerEvents, LiveServerToClientEvents, Record<string, never>, LiveSocketData>;

const subscribeSchema = z
  .object({
    channels: z.array(z.enum(LIVE_CHANNELS)).min(1).max(LIVE_CHANNELS.length),
    filters: z
      .object({
        // The same rule as the REST location filter: no control characters, no room-name tricks.
        location: locationCodeSchema.optional(),
        // The same rules and default as GET /api/v1/kpis/live.
        window: liveKpisQuerySchema.shape.window,
        source: liveKpisQuerySchema.shape.source,
      })
      .strict()
      .default({}),
  })
  .strict();

const ALL_STOCK_ROOM = 'stock';
const LOCATION_ROOM_PREFIX = 'stock@';
const ALERTS_ROOM = 'alerts';
const HEARTBEAT_SWEEP_MS = 1_000;
const BACKPRESSURE_SWEEP_MS = 500;
const TOKEN_SWEEP_MS = 5_000;
/** A client that keeps subscribing after this many refusals in a row is not a wall screen: it is disconnected. */
const MAX_REFUSED_SUBSCRIBES = 20;
/** Connections per token: a wall reconnects after a network blip or a deploy, not many times a minute. */
const CONNECT_LIMITS = { burst: 10, perMinute: 30 };

/**
 * `/live`. The handshake needs a valid token and a free slot (over MAX_CONNECTIONS the client is
 * told `overloaded` with a jittered retryAfterMs), on `/live` and on the main namespace alike. `subscribe` joins the client's room first and
 * then answers with a snapshot and its version, so no change falls between the two.
 *
 * Change notices are merged per room (channel + filter), not per socket: one coalescer and one
 * encoded message per room per flush, whatever the number of clients; a kpis room (window and
 * source) is read once per flush (kpi-rooms.ts). A socket whose send queue grows past its limits
 * leaves the flow and is told to resync once it has drained.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, OnModuleDestroy {
  private readonly logger = new Logger(LiveGateway.name);
  private readonly coalescers = new Map<string, StockDeltaCoalescer>();
  private readonly kpiRooms: KpiRooms;
  /** Read side of the alert outbox: the latest alerts for the `alerts` snapshot. */
  private readonly alertOutbox: AlertOutboxRepository;
  private readonly limits: LiveFlowLimits;
  private readonly subscribeLimits: SubscribeLimits;
  /** Subscribe allowances by token (its id, else its subject); idle ones are dropped by the token sweep. */
  private readonly subscribeBuckets = new Map<string, SubscribeBucket>();
  /** Connection allowances by token, dropped like the subscribe ones. */
  private readonly connectBuckets = new Map<string, SubscribeBucket>();
  private readonly snapshots: LiveSnapshotReader;
  private readonly flushIntervalMs: number;
  private readonly metrics: LiveMetrics;
  private readonly timers: NodeJS.Timeout[] = [];
  /** One timer for the earliest room due to flush, and one pass after each batch of notices. */
  private flushTimer: NodeJS.Timeout | null = null;
  private flushPass: NodeJS.Immediate | null = null;
  /** Version of the last change notice seen; null until the first one. */
  private lastNoticeVersion: number | null = null;
  /** Epoch ms of the change feed's last successful read; null before the first. */
  private feedReadAt: number | null = null;
  /** Epoch ms each followed room last sent something (a delta, an alert, a heartbeat): one entry per room. */
  private readonly roomSentAt = new Map<string, number>();
  private tokenSweepRunning = false;

  @WebSocketServer()
  private namespace!: LiveNamespace;
  /** The namespaces whose handshake checks a token: their sockets are swept when it expires or is revoked. */
  private guarded: LiveNamespace[] = [];

  constructor(
    private readonly callers: CallerAuthenticator,
    private readonly displayTokens: DisplayTokenRepository,
    private readonly revokedTokens: RevokedTokensRepository,
    private readonly kpis: KpiRepository,
    @Inject(STOCKWALL_CONFIG) config: StockwallConfig,
    @Inject(INFRASTRUCTURE) infrastructure: Infrastructure,
    @Inject(API_METRICS) registry: Registry,
  ) {
    this.metrics = new LiveMetrics(registry, {
      connections: () => this.namespace?.server.engine.clientsCount ?? 0,
      feedReadAt: () => this.feedReadAt,
    });
    this.alertOutbox = new AlertOutboxRepository(infrastructure.redis, infrastructure.config.redis.prefix);
    this.limits = { ...config.live };
    this.subscribeLimits = config.live.subscribe;
    this.snapshots = new LiveSnapshotReader(infrastructure.redis, infrastructure.config.redis.prefix);
    this.flushIntervalMs = config.live.flushIntervalMs;
    this.kpiRooms = new KpiRooms({
      read: (window, source) => this.kpis.readLiveWithVersion(window, source),
      emit: (room, delta) => {
        this.namespace.to(room).emit('kpis.delta', delta);
        this.metrics.broadcast('kpis.delta');
        this.roomSentAt.set(room, Date.now());
      },
      hasSubscribers: (room) => this.namespace.adapter.rooms.has(room),
      onReadError: (room, error) => this.logger.warn(`KPI read for ${room} failed: ${error.message}`),
      minIntervalMs: this.flushIntervalMs,
    });
  }

  afterInit(namespace: LiveNamespace): void {
    // socket.io always serves the main namespace `/`, which nothing here uses: it gets the same
    // handshake check, so no namespace takes a connection without a token or past the limit.
    const main: LiveNamespace = namespace.server.of('/');
    for (const guarded of [namespace, main]) guarded.use((socket, next) => this.admit(socket, next));
    this.guarded = [namespace, main];
    main.on('connection', (socket) => this.handleConnection(socket));
    this.timers.push(
      // Version-only deltas of quiet rooms and rooms emptied by leaving clients.
      setInterval(() => this.flush(), 1_000),
      setInterval(() => this.applyBackpressure(), BACKPRESSURE_SWEEP_MS),
      setInterval(() => void this.sweepTokens(), TOKEN_SWEEP_MS),
      setInterval(() => this.sendHeartbeats(), HEARTBEAT_SWEEP_MS),
    );
    for (const timer of this.timers) timer.unref();
  }

  onModuleDestroy(): void {
    for (const timer of this.timers) clearInterval(timer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.flushPass) clearImmediate(this.flushPass);
    this.kpiRooms.stop();
  }

  /**
   * The handshake check of every namespace. The limit counts the process's open transports (the
   * asking client's own excepted), on any namespace or on none yet, so it holds whatever a client
   * connects to.
   */
  private admit(socket: LiveSocket, next: (error?: Error) => void): void {
    const admission = admitConnection(this.limits, socket.nsp.server.engine.clientsCount - 1);
    if (!admission.admitted) {
      const data: LiveConnectErrorData = { code: LIVE_OVERLOADED, retryAfterMs: admission.retryAfterMs };
      this.metrics.refusal('overloaded');
      return next(Object.assign(new Error(LIVE_OVERLOADED), { data }));
    }
    // A token (wall screens, API clients) or the console's session cookie.
    const credentials = {
      handshakeToken: (socket.handshake.auth as { token?: unknown } | undefined)?.token,
      authorization: socket.handshake.headers.authorization,
      cookie: socket.handshake.headers.cookie,
    };
    this.callers.authenticate(credentials).then(
      (user) => {
        if (!user) {
          this.metrics.refusal('unauthorized');
          return next(unauthorized('missing token'));
        }
        // Connections by token are limited like subscribes (a refused client reconnecting in a loop).
        const allowance = takeSubscribe(this.connectBuckets.get(subscriberKey(user)), CONNECT_LIMITS, Date.now());
        this.connectBuckets.set(subscriberKey(user), allowance.bucket);
        if (!allowance.allowed) {
          this.metrics.refusal('rate_limited');
          const data: LiveConnectErrorData = { code: 'rate_limited', retryAfterMs: allowance.retryAfterMs };
          return next(Object.assign(new Error('rate_limited'), { data }));
        }
        socket.data.user = user;
        next();
      },
      (error: Error) => {
        this.metrics.refusal('unauthorized');
        next(unauthorized(error.message));
      },
    );
  }

  /** Past the middleware nothing reads the handshake's HTTP request again: let it go (several KB per socket). */
  handleConnection(socket: LiveSocket): void {
    (socket.conn as unknown as { request: unknown }).request = null;
  }

  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<SubscribeAck> {
    if (socket.data.subscribing) {
      this.metrics.refusal('busy');
      this.countRefusal(socket);
      return refused('busy', 'the previous subscribe of this socket is still being answered', this.flushIntervalMs);
    }
    // Counted by token, not by socket: reconnecting does not start a fresh allowance.
    const holder = subscriberOf(socket);
    const allowance = takeSubscribe(this.subscribeBuckets.get(holder), this.subscribeLimits, Date.now());
    this.subscribeBuckets.set(holder, allowance.bucket);
    if (!allowance.allowed) {
      this.metrics.refusal('rate_limited');
      this.countRefusal(socket);
      return refused('rate_limited', 'too many subscribes on this socket', allowance.retryAfterMs);
    }
    socket.data.refusedSubscribes = 0;
    socket.data.subscribing = true;
    try {
      return await this.answerSubscribe(socket, body);
    } finally {
      socket.data.subscribing = false;
    }
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

  private async answerSubscribe(socket: LiveSocket, body: unknown): Promise<SubscribeAck> {
    const request = subscribeSchema.safeParse(body);
    if (!request.success) {
      return {
        ok: false,
        error: {
          code: 'bad_request',
          message: request.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
        },
      };
    }
    const { channels, filters } = request.data;
    const location = filters.location;
    for (const room of socket.rooms) {
      if (isFollowedRoom(room)) await socket.leave(room);
    }
    socket.data.paused = false;
    socket.data.stockRoom = undefined;
    socket.data.kpisRoom = undefined;
    if (channels.includes('stock')) {
      const room = location ? `${LOCATION_ROOM_PREFIX}${location}` : ALL_STOCK_ROOM;
      // The coalescer exists before the snapshot is read, so it holds every change after it.
      if (!this.coalescers.has(room)) {
        this.coalescers.set(
          room,
          new StockDeltaCoalescer(this.lastNoticeVersion ?? 0, location ?? null, this.flushIntervalMs),
        );
      }
      await socket.join(room);
      socket.data.stockRoom = room;
    }
    if (channels.includes('alerts')) await socket.join(ALERTS_ROOM);
    const source = filters.source ?? null;
    if (channels.includes('kpis')) {
      // Like the stock coalescer, the room exists before the snapshot is read.
      const room = this.kpiRooms.open(filters.window, source, this.lastNoticeVersion ?? 0);
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

  /** One change notice from the feed: alerts go out at once, stock rows into the coalescers, kpis rooms go stale. */
  broadcast(notice: ChangeNotice): void {
    const last = this.lastNoticeVersion;
    this.lastNoticeVersion = notice.version;
    for (const alert of notice.alerts) this.namespace.to(ALERTS_ROOM).emit('alert', { version: notice.version, alert });
    if (notice.alerts.length > 0) this.metrics.broadcast('alert', notice.alerts.length);
    if (notice.alerts.length > 0) this.roomSentAt.set(ALERTS_ROOM, Date.now());
    // A skipped version (stream trimmed while the feed was away) or one going back (Redis reset):
    // no delta can bridge it, so every stock client starts again from a snapshot.
    if (last !== null && notice.version !== last + 1) {
      this.logger.warn(`Change feed went from version ${last} to ${notice.version}: every stock client resyncs`);
      this.resyncAll({ reason: 'feed_gap', version: notice.version });
      // KPI deltas are whole, so a skip forward only needs a fresh read. A version going back
      // (Redis reset) would make their clients ignore every delta until it passed what they hold.
      if (notice.version > last) this.kpiRooms.accept(notice.version);
      else this.resyncKpis({ reason: 'feed_gap', version: notice.version });
      return;
    }
    this.kpiRooms.accept(notice.version);
    const watermark = notice.watermark === null ? null : new Date(notice.watermark).toISOString();
    for (const coalescer of this.coalescers.values()) coalescer.accept(notice.version, watermark, notice.rows);
    // After the rest of this read's notices: a room that sent nothing lately sends now, the others when due.
    this.flushPass ??= setImmediate(() => {
      this.flushPass = null;
      this.flush();
    });
  }

  /** The change feed read the stream successfully (with or without notices). */
  feedRead(at: number): void {
    this.feedReadAt = at;
  }

  /** Closes the sockets of a revoked display token on this node (other nodes find it in their sweep). */
  disconnectToken(tokenId: string): void {
    for (const socket of this.authenticatedSockets()) {
      if (socket.data.user?.tokenId === tokenId) this.refuse(socket, 'display token was revoked');
    }
  }

  /** Closes the sockets of a token put on the deny-list, on this node (other nodes find it in their sweep). */
  disconnectRevoked(revocationId: string): void {
    for (const socket of this.authenticatedSockets()) {
      if (socket.data.user?.revocationId === revocationId) this.refuse(socket, 'token was revoked');
    }
  }

  /** Sends every room's delta that is due and sets the one timer for the next room due. */
  private flush(): void {
    const now = Date.now();
    let nextDue = Number.POSITIVE_INFINITY;
    for (const [room, coalescer] of this.coalescers) {
      if (!this.namespace.adapter.rooms.has(room)) {
        this.coalescers.delete(room);
        continue;
      }
      const delta = coalescer.flush(now);
      if (delta) {
        this.namespace.to(room).emit('stock.delta', delta);
        this.metrics.broadcast('stock.delta');
        this.roomSentAt.set(room, now);
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

  /**
   * A heartbeat to every subscribed socket that was sent nothing (ack, delta, alert, heartbeat) for
   * LIVE_HEARTBEAT_MS, encoded once for all of them. What a socket was sent is read from its rooms'
   * last sends, so a socket that gets deltas or alerts gets no heartbeat and no channel exceeds its
   * rate; the state kept is one time per room and one per socket. Paused (slow) sockets get none.
   */
  private sendHeartbeats(): void {
    const now = Date.now();
    const rooms = this.namespace.adapter.rooms;
    for (const room of this.roomSentAt.keys()) if (!rooms.has(room)) this.roomSentAt.delete(room);
    const due: string[] = [];
    for (const socket of this.namespace.sockets.values()) {
      const { heartbeatAt, paused } = socket.data;
      if (heartbeatAt === undefined || paused) continue;
      let lastSentAt = heartbeatAt;
      for (const room of socket.rooms) lastSentAt = Math.max(lastSentAt, this.roomSentAt.get(room) ?? 0);
      if (now - lastSentAt < LIVE_HEARTBEAT_MS) continue;
      socket.data.heartbeatAt = now;
      due.push(socket.id);
    }
    if (due.length === 0) return;
    // Every socket is in a room named by its id: one broadcast, one encoding.
    this.metrics.broadcast('live.heartbeat');
    this.namespace.to(due).emit('live.heartbeat', {
      version: this.lastNoticeVersion ?? 0,
      serverTime: new Date(now).toISOString(),
      feedReadAt: this.feedReadAt === null ? null : new Date(this.feedReadAt).toISOString(),
    });
  }

  private resyncAll(notice: ResyncNotice): void {
    for (const [room, coalescer] of this.coalescers) {
      coalescer.reset(notice.version);
      this.namespace.to(room).emit('stock.resync', notice);
      this.metrics.broadcast('stock.resync');
    }
  }

  private resyncKpis(notice: ResyncNotice): void {
    for (const room of this.kpiRooms.reset(notice.version)) {
      this.namespace.to(room).emit('kpis.resync', notice);
      this.metrics.broadcast('kpis.resync');
    }
  }

  private applyBackpressure(): void {
    for (const socket of this.namespace.sockets.values()) {
      const { stockRoom, kpisRoom } = socket.data;
      if (!stockRoom && !kpisRoom) continue;
      const { packets, bytes } = queuedOf(socket);
      const action = backpressureAction(this.limits, socket.data.paused === true, packets, bytes);
      if (action === 'pause') {
        // Leaving the rooms stops new deltas at once; what is queued drains or the ping timeout ends it.
        socket.data.paused = true;
        if (stockRoom) void socket.leave(stockRoom);
        if (kpisRoom) void socket.leave(kpisRoom);
        this.logger.warn(
          `Socket ${escapeForLog(socket.id)} is slow (${packets} packets, ${bytes} bytes queued): paused`,
        );
      } else if (action === 'resume') {
        socket.data.paused = false;
        const notice: ResyncNotice = { reason: 'slow_consumer', version: this.lastNoticeVersion ?? 0 };
        if (stockRoom) socket.emit('stock.resync', notice);
        if (kpisRoom) socket.emit('kpis.resync', notice);
      }
    }
  }

  /** Ends sockets whose token expired or whose display token was revoked since the handshake. */
  private async sweepTokens(): Promise<void> {
    if (this.tokenSweepRunning) return;
    this.tokenSweepRunning = true;
    try {
      const now = Date.now();
      // A full bucket is what a new one would be: keep only those still refilling.
      const refillMs = (this.subscribeLimits.burst * 60_000) / this.subscribeLimits.perMinute;
      for (const [holder, bucket] of this.subscribeBuckets) {
        if (now - bucket.refilledAt > refillMs) this.subscribeBuckets.delete(holder);
      }
      const connectRefillMs = (CONNECT_LIMITS.burst * 60_000) / CONNECT_LIMITS.perMinute;
      for (const [holder, bucket] of this.connectBuckets) {
        if (now - bucket.refilledAt > connectRefillMs) this.connectBuckets.delete(holder);
      }
      const byToken = new Map<string, LiveSocket[]>();
      const byRevocationId = new Map<string, LiveSocket[]>();
      for (const socket of this.authenticatedSockets()) {
        const user = socket.data.user;
        if (!user) continue;
        if (user.expiresAt <= now) {
          this.refuse(socket, 'token expired');
          continue;
        }
        if (user.tokenId !== null) byToken.set(user.tokenId, [...(byToken.get(user.tokenId) ?? []), socket]);
        if (user.revocationId !== null) {
          byRevocationId.set(user.revocationId, [...(byRevocationId.get(user.revocationId) ?? []), socket]);
        }
      }
      const [revokedDisplays, revoked] = await Promise.all([
        this.displayTokens.revokedAmong([...byToken.keys()]),
        this.revokedTokens.revokedAmong([...byRevocationId.keys()]),
      ]);
      for (const tokenId of revokedDisplays) {
        for (const socket of byToken.get(tokenId) ?? []) this.refuse(socket, 'display token was revoked');
      }
      for (const revocationId of revoked) {
        for (const socket of byRevocationId.get(revocationId) ?? []) this.refuse(socket, 'token was revoked');
      }
    } catch (error) {
      this.logger.warn(`Token sweep failed: ${(error as Error).message}`);
    } finally {
      this.tokenSweepRunning = false;
    }
  }

  private *authenticatedSockets(): Generator<LiveSocket> {
    for (const namespace of this.guarded) yield* namespace.sockets.values();
  }

  private refuse(socket: LiveSocket, message: string): void {
    socket.emit('error', { code: 'unauthorized', message });
    socket.disconnect(true);
  }
}

/** A subscription of `kpis` alone reads no stock: the ack's version and watermark are then the KPIs'. */
function subscribedAck(
  stock: LiveSnapshot | null,
  kpis: VersionedKpis | null,
  alerts: StockAlert[] | null,
): SubscribeAck {
  const snapshot: SubscribeSnapshot = { stock: stock?.rows ?? [] };
  if (kpis) snapshot.kpis = { version: kpis.version, watermark: kpis.kpis.watermark, kpis: kpis.kpis };
  if (alerts) snapshot.alerts = alerts;
  let watermark = kpis?.kpis.watermark ?? null;
  if (stock) watermark = stock.watermark === null ? null : new Date(stock.watermark).toISOString();
  return {
    ok: true,
    version: stock?.version ?? kpis?.version ?? 0,
    watermark,
    serverTime: new Date().toISOString(),
    snapshot,
  };
}

/** The rooms a subscribe joins (the others are the sockets' own, named by their ids). */
function isFollowedRoom(room: string): boolean {
  return room.startsWith(ALL_STOCK_ROOM) || room === ALERTS_ROOM || room.startsWith(KPI_ROOM_PREFIX);
}

function subscriberOf(socket: LiveSocket): string {
  const user = socket.data.user;
  return user ? subscriberKey(user) : `socket:${socket.id}`;
}

function subscriberKey(user: VerifiedToken): string {
  return user.revocationId ?? `sub:${user.sub}`;
}

function refused(code: 'busy' | 'rate_limited', message: string, retryAfterMs: number): SubscribeAck {
  return { ok: false, error: { code, message, retryAfterMs } };
}

function unauthorized(reason: string): Error {
  const data: LiveConnectErrorData = { code: 'unauthorized' };
  return Object.assign(new Error('unauthorized'), { data: { ...data, reason } });
}

/** Packets waiting in engine.io plus bytes waiting in the WebSocket (not yet taken by the kernel). */
function queuedOf(socket: LiveSocket): { packets: number; bytes: number } {
  const connection = socket.conn as unknown as {
    writeBuffer?: unknown[];
    transport?: { socket?: { bufferedAmount?: number } };
  };
  return {
    packets: connection.writeBuffer?.length ?? 0,
    bytes: connection.transport?.socket?.bufferedAmount ?? 0,
  };
}

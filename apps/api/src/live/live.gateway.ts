import { Inject, Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { z } from 'zod';
import { ChangeNotice, LiveStateRepository } from '@stockwall/aggregation';
import {
  AccessTokenClaims,
  LIVE_CHANNELS,
  LIVE_NAMESPACE,
  LiveClientToServerEvents,
  LiveServerToClientEvents,
  StockDelta,
  SubscribeAck,
} from '@stockwall/contracts';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { extractBearer, verifyAccessToken } from '@stockwall/platform';

type LiveNamespace = Namespace<LiveClientToServerEvents, LiveServerToClientEvents>;
type LiveSocket = Socket<
  LiveClientToServerEvents,
  LiveServerToClientEvents,
  Record<string, never>,
  { user?: AccessTokenClaims }
>;

const subscribeSchema = z
  .object({
    channels: z.array(z.enum(LIVE_CHANNELS)).min(1),
    filters: z
      .object({ location: z.string().min(1).max(64).optional() })
      .strict()
      .optional(),
  })
  .strict();

const ALL_STOCK_ROOM = 'stock';
const LOCATION_ROOM_PREFIX = 'stock@';
const ALERTS_ROOM = 'alerts';

/**
 * `/live`: the handshake must carry a valid token; `subscribe` joins the client to its rooms
 * first and then answers with a snapshot and its version, so no change falls between the two
 * (the client drops deltas at or below the snapshot's version).
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, cors: { origin: true, credentials: true } })
export class LiveGateway implements OnGatewayInit {
  private readonly logger = new Logger(LiveGateway.name);

  @WebSocketServer()
  private namespace!: LiveNamespace;

  constructor(
    private readonly liveState: LiveStateRepository,
    @Inject(STOCKWALL_CONFIG) private readonly config: StockwallConfig,
  ) {}

  afterInit(namespace: LiveNamespace): void {
    namespace.use((socket: LiveSocket, next) => {
      const token =
        extractBearer((socket.handshake.auth as { token?: unknown } | undefined)?.token) ??
        extractBearer(socket.handshake.headers.authorization);
      try {
        if (!token) throw new Error('missing token');
        socket.data.user = verifyAccessToken(this.config.auth.jwtSecret, token);
        next();
      } catch {
        next(new Error('unauthorized'));
      }
    });
  }

  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<SubscribeAck> {
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
    const location = request.data.filters?.location;
    for (const room of socket.rooms)
      if (room.startsWith(ALL_STOCK_ROOM) || room === ALERTS_ROOM) await socket.leave(room);
    if (request.data.channels.includes('stock')) {
      await socket.join(location ? `${LOCATION_ROOM_PREFIX}${location}` : ALL_STOCK_ROOM);
    }
    if (request.data.channels.includes('alerts')) await socket.join(ALERTS_ROOM);
    const snapshot = await this.liveState.readSnapshot(location);
    return {
      ok: true,
      version: snapshot.version,
      watermark: snapshot.watermark === null ? null : new Date(snapshot.watermark).toISOString(),
      serverTime: new Date().toISOString(),
      snapshot: { stock: snapshot.rows },
    };
  }

  /** Sends one change notice to every stock room; location rooms get their rows only. */
  broadcast(notice: ChangeNotice): void {
    const base = {
      version: notice.version,
      previousVersion: notice.version - 1,
      watermark: notice.watermark === null ? null : new Date(notice.watermark).toISOString(),
    };
    for (const alert of notice.alerts) this.namespace.to(ALERTS_ROOM).emit('alert', { version: notice.version, alert });
    const delta: StockDelta = { ...base, rows: notice.rows };
    this.namespace.to(ALL_STOCK_ROOM).emit('stock.delta', delta);
    for (const room of this.namespace.adapter.rooms.keys()) {
      if (!room.startsWith(LOCATION_ROOM_PREFIX)) continue;
      const location = room.slice(LOCATION_ROOM_PREFIX.length);
      this.namespace
        .to(room)
        .emit('stock.delta', { ...base, rows: notice.rows.filter((row) => row.location === location) });
    }
  }

  get connectedClients(): number {
    return this.namespace?.sockets.size ?? 0;
  }

  logDropped(reason: string): void {
    this.logger.warn(reason);
  }
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConnectedSocket, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { LIVE_NAMESPACE, RedisKeys, WriteOutcome } from '@stockwall/contracts';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import type { LiveNamespace, LiveSocket } from '../live/live-socket';
import { RedisStreamFollower } from '../live/redis-stream-follower';

/** The room of the sockets following write outcomes. */
export const WRITES_ROOM = 'writes';

/**
 * Pending → applied for the console's forms: a socket sends `writes.subscribe` and from then on
 * gets `write.applied` / `write.rejected` for every API write. The outcomes come from the stream
 * the worker's apply writes them to (with its effect, atomically); every API process follows it on
 * its own connection, like the change feed. The /live handshake (LiveAdmission) has already
 * authenticated the socket.
 */
@Injectable()
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class WriteOutcomesGateway implements OnApplicationBootstrap, OnApplicationShutdown {
  private follower: RedisStreamFollower | null = null;

  @WebSocketServer()
  private namespace!: LiveNamespace;

  constructor(@Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure) {}

  @SubscribeMessage('writes.subscribe')
  async subscribe(@ConnectedSocket() socket: LiveSocket): Promise<{ ok: true }> {
    await socket.join(WRITES_ROOM);
    return { ok: true };
  }

  onApplicationBootstrap(): void {
    const key = new RedisKeys(this.infrastructure.config.redis.prefix).writeOutcomes();
    const logger = new Logger(WriteOutcomesGateway.name);
    const connection = this.infrastructure.redis.duplicate();
    this.follower = new RedisStreamFollower(connection, 'Write outcome feed', logger);
    this.follower.start(async (cursor) => {
      const response = await connection.xread('COUNT', 200, 'BLOCK', 1_000, 'STREAMS', key, cursor.lastId);
      for (const [, entries] of response ?? []) {
        for (const [id, fields] of entries) {
          cursor.lastId = id;
          const index = fields.indexOf('writes');
          if (index >= 0) this.emit(JSON.parse(fields[index + 1]) as WriteOutcome[]);
        }
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.follower?.stop();
  }

  private emit(outcomes: WriteOutcome[]): void {
    if (!this.namespace.adapter.rooms.has(WRITES_ROOM)) return;
    for (const outcome of outcomes) {
      if (outcome.state === 'applied') {
        const { eventId, eventType, sku, location } = outcome;
        this.namespace.to(WRITES_ROOM).emit('write.applied', { eventId, eventType, sku, location });
      } else {
        this.namespace.to(WRITES_ROOM).emit('write.rejected', { eventId: outcome.eventId, reason: outcome.reason });
      }
    }
  }
}

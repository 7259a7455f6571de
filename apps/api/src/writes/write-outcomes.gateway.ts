import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConnectedSocket, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type Redis from 'ioredis';
import type { Namespace, Socket } from 'socket.io';
import {
  LIVE_NAMESPACE,
  LiveClientToServerEvents,
  LiveServerToClientEvents,
  RedisKeys,
  WriteOutcome,
} from '@stockwall/contracts';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';

/** The room of the sockets following write outcomes. */
export const WRITES_ROOM = 'writes';

type WritesNamespace = Namespace<LiveClientToServerEvents, LiveServerToClientEvents>;
type WritesSocket = Socket<LiveClientToServerEvents, LiveServerToClientEvents>;

/**
 * Pending → applied for the console's forms: a socket sends `writes.subscribe` and from then on
 * gets `write.applied` / `write.rejected` for every API write. The outcomes come from the stream
 * the worker's apply writes them to (with its effect, atomically); every API process follows it on
 * its own connection, like the change feed. The /live handshake (LiveGateway) has already
 * authenticated the socket.
 */
@Injectable()
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class WriteOutcomesGateway implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WriteOutcomesGateway.name);
  private connection: Redis | null = null;
  private running = false;
  private loop: Promise<void> | null = null;

  @WebSocketServer()
  private namespace!: WritesNamespace;

  constructor(@Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure) {}

  @SubscribeMessage('writes.subscribe')
  async subscribe(@ConnectedSocket() socket: WritesSocket): Promise<{ ok: true }> {
    await socket.join(WRITES_ROOM);
    return { ok: true };
  }

  onApplicationBootstrap(): void {
    // XREAD BLOCK holds its connection, so the feed gets one of its own.
    this.connection = this.infrastructure.redis.duplicate();
    this.connection.on('error', () => undefined);
    this.running = true;
    this.loop = this.follow(this.connection, new RedisKeys(this.infrastructure.config.redis.prefix).writeOutcomes());
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.connection?.disconnect();
    await this.loop;
  }

  private async follow(connection: Redis, key: string): Promise<void> {
    let lastId = '$';
    while (this.running) {
      try {
        const response = await connection.xread('COUNT', 200, 'BLOCK', 1_000, 'STREAMS', key, lastId);
        for (const [, entries] of response ?? []) {
          for (const [id, fields] of entries) {
            lastId = id;
            const index = fields.indexOf('writes');
            if (index >= 0) this.emit(JSON.parse(fields[index + 1]) as WriteOutcome[]);
          }
        }
      } catch (error) {
        if (!this.running) return;
        this.logger.warn(`Write outcome feed read failed: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
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

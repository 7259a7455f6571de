import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { LiveStateRepository } from '@stockwall/aggregation';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { LiveGateway } from './live.gateway';

/**
 * Follows the change stream written by the workers' atomic applies. Every API process reads
 * the whole stream on its own connection, so every client on every node sees every change.
 */
@Injectable()
export class ChangeFeedService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ChangeFeedService.name);
  private connection: Redis | null = null;
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(
    @Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure,
    private readonly gateway: LiveGateway,
  ) {}

  onApplicationBootstrap(): void {
    // XREAD BLOCK holds its connection, so the feed gets one of its own.
    this.connection = this.infrastructure.redis.duplicate();
    this.connection.on('error', () => undefined);
    const reader = new LiveStateRepository(this.connection, this.infrastructure.config.redis.prefix);
    this.running = true;
    this.loop = this.follow(reader);
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.connection?.disconnect();
    await this.loop;
  }

  private async follow(reader: LiveStateRepository): Promise<void> {
    let lastId = '$';
    while (this.running) {
      try {
        const notices = await reader.readChanges(lastId, 1_000);
        // Every read that answers counts, changes or not: heartbeats tell clients the feed is alive.
        this.gateway.feedRead(Date.now());
        for (const notice of notices) {
          this.gateway.broadcast(notice);
          lastId = notice.id;
        }
      } catch (error) {
        if (!this.running) return;
        this.logger.warn(`Change feed read failed: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { LiveStateRepository } from '@stockwall/aggregation';
import { LiveBroadcaster } from './live-broadcaster';
import { RedisStreamFollower } from './redis-stream-follower';

/** The live state read on the change feed's own connection (its XREAD BLOCK holds it). */
export const CHANGE_FEED_READER = Symbol('CHANGE_FEED_READER');
export const CHANGE_FEED_CONNECTION = Symbol('CHANGE_FEED_CONNECTION');

/**
 * Follows the change stream written by the workers' atomic applies. Every API process reads
 * the whole stream on its own connection, so every client on every node sees every change.
 */
@Injectable()
export class ChangeFeedService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly follower: RedisStreamFollower;

  constructor(
    @Inject(CHANGE_FEED_CONNECTION) connection: Redis,
    @Inject(CHANGE_FEED_READER) private readonly reader: LiveStateRepository,
    private readonly broadcaster: LiveBroadcaster,
  ) {
    this.follower = new RedisStreamFollower(connection, 'Change feed', new Logger(ChangeFeedService.name));
  }

  onApplicationBootstrap(): void {
    this.follower.start(async (cursor) => {
      const notices = await this.reader.readChanges(cursor.lastId, 1_000);
      // Every read that answers counts, changes or not: heartbeats tell clients the feed is alive.
      this.broadcaster.feedRead(Date.now());
      for (const notice of notices) {
        this.broadcaster.broadcast(notice);
        cursor.lastId = notice.id;
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.follower.stop();
  }
}

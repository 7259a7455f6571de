import type { Logger } from '@nestjs/common';
import type Redis from 'ioredis';

/** The id after which the next read starts: `$` (only what is added from now on) until the first entry. */
export interface StreamCursor {
  lastId: string;
}

/**
 * Follows a Redis stream with blocking reads (XREAD BLOCK holds its connection, so the follower
 * gets one of its own), from start() until stop(). A failed read is logged and tried again after
 * a pause; every API process follows the whole stream, so every client on every node sees it.
 */
export class RedisStreamFollower {
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(
    /** The follower's own connection: it ends with stop(). */
    private readonly connection: Redis,
    /** What is followed, for the log: "Change feed", "Write outcome feed". */
    private readonly name: string,
    private readonly logger: Logger,
  ) {
    this.connection.on('error', () => undefined);
  }

  /** `read` blocks for the next entries and moves the cursor past each one it handled. */
  start(read: (cursor: StreamCursor) => Promise<void>): void {
    this.running = true;
    this.loop = this.follow(read);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.connection.disconnect();
    await this.loop;
  }

  private async follow(read: (cursor: StreamCursor) => Promise<void>): Promise<void> {
    const cursor: StreamCursor = { lastId: '$' };
    while (this.running) {
      try {
        await read(cursor);
      } catch (error) {
        if (!this.running) return;
        this.logger.warn(`${this.name} read failed: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }
}

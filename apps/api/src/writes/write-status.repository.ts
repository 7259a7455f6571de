import type Redis from 'ioredis';
import { RedisKeys, WriteOutcome } from '@stockwall/contracts';

/** The outcomes of API writes the apply decided, kept in Redis for a day after each. */
export class WriteStatusRepository {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new RedisKeys(prefix);
  }

  /** The write's outcome, or null while it is pending (or its outcome has expired). */
  async find(eventId: string): Promise<WriteOutcome | null> {
    const stored = await this.redis.get(`${this.keys.writeStatusPrefix()}${eventId}`);
    return stored === null ? null : (JSON.parse(stored) as WriteOutcome);
  }
}

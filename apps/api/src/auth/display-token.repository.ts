import type Redis from 'ioredis';

export interface DisplayTokenRecord {
  id: string;
  name: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

/**
 * Display tokens that are still valid, in one Redis hash shared by every API process: a token
 * whose id is missing here is refused, so deleting the entry revokes it everywhere at once.
 */
export class DisplayTokenRepository {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}display-tokens`;
  }

  async save(record: DisplayTokenRecord): Promise<void> {
    await this.redis.hset(this.key, record.id, JSON.stringify(record));
  }

  async isActive(id: string): Promise<boolean> {
    return (await this.redis.hexists(this.key, id)) === 1;
  }

  /** Of the given ids, those no longer active (one round trip for every socket on a node). */
  async revokedAmong(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const values = await this.redis.hmget(this.key, ...ids);
    return new Set(ids.filter((_, index) => values[index] === null));
  }

  async list(): Promise<DisplayTokenRecord[]> {
    const values = await this.redis.hvals(this.key);
    return values
      .map((value) => JSON.parse(value) as DisplayTokenRecord)
      .sort((left, right) => left.createdAt.localeCompare(right.createdAt));
  }

  /** True when the token existed. */
  async revoke(id: string): Promise<boolean> {
    return (await this.redis.hdel(this.key, id)) === 1;
  }
}

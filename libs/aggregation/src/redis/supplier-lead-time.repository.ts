import type { Redis } from 'ioredis';
import { RedisKeys } from '@stockwall/contracts';
import { isLeadTimeDays, MAX_LEAD_TIME_DAYS } from '../core/forecast';

export interface SupplierLeadTime {
  supplierId: string;
  days: number;
}

// Fields per HSET when loading many.
const WRITE_CHUNK = 1_000;

/**
 * The supplier → lead time (days) hash the apply script reads when a restock names its supplier
 * (`<prefix>supplier-lead-times`). A change takes effect from the next restock of each SKU.
 */
export class SupplierLeadTimeRepository {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = new RedisKeys(prefix).supplierLeadTimes();
  }

  get redisKey(): string {
    return this.key;
  }

  async set(supplierId: string, days: number): Promise<void> {
    await this.setMany([{ supplierId, days }]);
  }

  /** Writes every lead time (others on record are kept); returns how many were written. */
  async setMany(leadTimes: readonly SupplierLeadTime[]): Promise<number> {
    for (const leadTime of leadTimes) {
      if (!isLeadTimeDays(leadTime.days)) {
        throw new RangeError(
          `Lead time of supplier ${leadTime.supplierId} must be more than 0 and at most ${MAX_LEAD_TIME_DAYS} days, got ${leadTime.days}`,
        );
      }
    }
    for (let start = 0; start < leadTimes.length; start += WRITE_CHUNK) {
      const chunk = leadTimes.slice(start, start + WRITE_CHUNK);
      await this.redis.hset(
        this.key,
        Object.fromEntries(chunk.map((leadTime) => [leadTime.supplierId, String(leadTime.days)])),
      );
    }
    return leadTimes.length;
  }

  /** False when the supplier had no lead time on record. */
  async remove(supplierId: string): Promise<boolean> {
    return (await this.redis.hdel(this.key, supplierId)) > 0;
  }

  /** Every lead time on record, by supplier id. */
  async list(): Promise<SupplierLeadTime[]> {
    const entries = await this.redis.hgetall(this.key);
    return Object.entries(entries)
      .map(([supplierId, days]) => ({ supplierId, days: Number(days) }))
      .sort((left, right) => (left.supplierId < right.supplierId ? -1 : left.supplierId > right.supplierId ? 1 : 0));
  }
}

import type { Redis } from 'ioredis';
import { RedisKeys, STOCK_INDEX_SEPARATOR } from '@stockwall/contracts';
import type { PlannedBucket } from '../core/live-rebuild';

/** Commands sent per pipeline round trip while writing. */
const PIPELINE_CHUNK = 1_000;

/** What holds the stream while a rebuild would race it. */
export interface StreamHolders {
  /** Shards whose lease key exists, with the owner. */
  leases: { shardId: string; owner: string }[];
  /** Workers heard from within the lease TTL. */
  workers: string[];
}

/**
 * The Redis side of `rebuild-live`: checks that no worker holds the stream, deletes the live state
 * under the prefix and writes the rebuilt one in pipelined chunks. Leases, fencing epochs, the worker
 * set, the change, alert and dead-letter streams, supplier lead times and the queues are left alone.
 */
export class LiveRebuildRepository {
  private readonly keys: RedisKeys;
  private pipeline: ReturnType<Redis['pipeline']>;
  private queued = 0;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new RedisKeys(prefix);
    this.pipeline = redis.pipeline();
  }

  async streamHolders(streamName: string, leaseTtlMs: number, now = Date.now()): Promise<StreamHolders> {
    const leaseKeyPrefix = this.keys.lease(streamName, '');
    const leaseKeys = await this.scan(`${escapeGlob(leaseKeyPrefix)}*`);
    const leases: StreamHolders['leases'] = [];
    for (const key of leaseKeys) {
      const owner = await this.redis.hget(key, 'owner');
      if (owner) leases.push({ shardId: key.slice(leaseKeyPrefix.length), owner });
    }
    const workers = await this.redis.zrangebyscore(this.keys.workers(streamName), now - leaseTtlMs, '+inf');
    return { leases, workers };
  }

  async readVersion(): Promise<number | null> {
    const version = await this.redis.get(this.keys.version());
    return version === null ? null : Number(version);
  }

  /** Supplier → lead time in days, as the apply looks them up. */
  async supplierLeadTimes(): Promise<Map<string, number>> {
    const flat = await this.redis.hgetall(this.keys.supplierLeadTimes());
    const leadTimes = new Map<string, number>();
    for (const [supplier, days] of Object.entries(flat)) {
      const value = Number(days);
      if (Number.isFinite(value)) leadTimes.set(supplier, value);
    }
    return leadTimes;
  }

  /**
   * Deletes the live state the rebuild replaces: stock hashes and index, totals, window buckets and
   * their index, watermark, version, this stream's checkpoints, the producer-retry dedupe sets (they
   * name events Redis applied beyond MySQL's positions, which are read and applied again) and the
   * apply receipts (states and versions of the old live state: a persist job still queued for a
   * batch past MySQL's position waits until the batch is applied again with a new receipt, or finds
   * it superseded by the re-read's own batches).
   * Returns the number of keys deleted.
   */
  async clearLiveState(streamName: string): Promise<number> {
    const patterns = [
      `${escapeGlob(this.keys.stockPrefix())}*`,
      `${escapeGlob(this.keys.kpiBucketPrefix())}*`,
      `${escapeGlob(this.keys.checkpoint(streamName, ''))}*`,
      `${escapeGlob(this.keys.dedupePrefix())}*`,
      `${escapeGlob(this.keys.applyReceipt(''))}*`,
    ];
    const single = [
      this.keys.stockIndex(),
      this.keys.kpiBucketIndex(),
      this.keys.stockTotals(),
      this.keys.watermark(),
      this.keys.version(),
      `${this.keys.prefix}kpi-scratch:u`,
      `${this.keys.prefix}kpi-scratch:r`,
    ];
    let deleted = 0;
    for (const pattern of patterns) {
      for await (const keys of this.scanChunks(pattern)) deleted += await this.redis.unlink(...keys);
    }
    deleted += await this.redis.unlink(...single);
    return deleted;
  }

  async writeStockHash(sku: string, location: string, fields: Record<string, string>): Promise<void> {
    await this.queue((pipeline) => pipeline.hset(this.keys.stock(location, sku), fields));
    await this.queue((pipeline) =>
      pipeline.zadd(this.keys.stockIndex(), 0, `${sku}${STOCK_INDEX_SEPARATOR}${location}`),
    );
  }

  async writeStockTotals(fields: Record<string, string>, watermark: number | null): Promise<void> {
    // The time-weighted stock figures integrate from the watermark on, as after the first batch.
    const all = watermark === null ? fields : { ...fields, 'tw:last': String(watermark) };
    if (Object.keys(all).length > 0) await this.queue((pipeline) => pipeline.hset(this.keys.stockTotals(), all));
  }

  async writeBucket(bucket: PlannedBucket): Promise<void> {
    const key = `${this.keys.kpiBucketPrefix()}${bucket.bucketMs}:${bucket.source}:${bucket.start}`;
    const fields: Record<string, string> = {};
    const sums: [string, number][] = [
      ['o', bucket.orders],
      ['r', bucket.revenueCents],
      ['u', bucket.units],
      ['c', bucket.cogsCents],
      ['n', bucket.events],
    ];
    for (const [field, value] of sums) if (value !== 0) fields[field] = String(value);
    if (Object.keys(fields).length > 0) await this.queue((pipeline) => pipeline.hset(key, fields));
    for (const [suffix, ranking] of [
      [':u', bucket.skuUnits],
      [':r', bucket.skuRevenue],
    ] as const) {
      const members = [...ranking].flatMap(([sku, score]) => [String(score), sku]);
      for (let first = 0; first < members.length; first += 2 * PIPELINE_CHUNK) {
        const chunk = members.slice(first, first + 2 * PIPELINE_CHUNK);
        await this.queue((pipeline) => pipeline.zadd(`${key}${suffix}`, ...chunk));
      }
    }
    await this.queue((pipeline) => pipeline.zadd(this.keys.kpiBucketIndex(), bucket.start, key));
  }

  async writeCheckpoint(streamName: string, shardId: string, fields: Record<string, string>): Promise<void> {
    await this.queue((pipeline) => pipeline.hset(this.keys.checkpoint(streamName, shardId), fields));
  }

  /** Written last, after everything else is flushed: the watermark and the version readers key on. */
  async finish(watermark: number | null, version: number): Promise<void> {
    await this.flush();
    const pipeline = this.redis.multi();
    if (watermark !== null) pipeline.set(this.keys.watermark(), String(watermark));
    pipeline.set(this.keys.version(), String(version));
    await exec(pipeline);
  }

  async flush(): Promise<void> {
    if (this.queued === 0) return;
    const pipeline = this.pipeline;
    this.pipeline = this.redis.pipeline();
    this.queued = 0;
    await exec(pipeline);
  }

  /** Queues one write; a full pipeline (PIPELINE_CHUNK commands) is sent and awaited, one at a time. */
  private async queue(add: (pipeline: ReturnType<Redis['pipeline']>) => unknown): Promise<void> {
    add(this.pipeline);
    this.queued++;
    if (this.queued >= PIPELINE_CHUNK) await this.flush();
  }

  private async scan(pattern: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const chunk of this.scanChunks(pattern)) keys.push(...chunk);
    return keys;
  }

  private async *scanChunks(pattern: string): AsyncGenerator<string[]> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }
}

async function exec(pipeline: ReturnType<Redis['pipeline']>): Promise<void> {
  const results = (await pipeline.exec()) ?? [];
  for (const [error] of results) if (error) throw error;
}

/** Escapes the glob characters of a key prefix for SCAN MATCH. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (character) => `\\${character}`);
}

/**
 * Every Redis key Stockwall uses, under one prefix (REDIS_PREFIX) so several systems or test
 * runs can share a server. The worker writes these keys and the API reads them.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  stock(location: string, sku: string): string {
    return `${this.stockPrefix()}${location}:${sku}`;
  }
  stockPrefix(): string {
    return `${this.prefix}stock:`;
  }
  /** Sorted set (all scores 0) of `sku\tlocation`, for lexicographic paging. */
  stockIndex(): string {
    return `${this.prefix}stock-index`;
  }
  /** Global live-state version, incremented once per applied batch. */
  version(): string {
    return `${this.prefix}version`;
  }
  /** Latest event time applied (epoch ms). */
  watermark(): string {
    return `${this.prefix}watermark`;
  }
  /** Stream of change notices read by every API node. */
  changes(): string {
    return `${this.prefix}changes`;
  }
  checkpoint(streamName: string, shardId: string): string {
    return `${this.prefix}checkpoint:${streamName}:${shardId}`;
  }
  lease(streamName: string, shardId: string): string {
    return `${this.prefix}lease:${streamName}:${shardId}`;
  }
  /** Fencing epoch of a shard: increases on every takeover and outlives the lease itself. */
  leaseEpoch(streamName: string, shardId: string): string {
    return `${this.prefix}lease-epoch:${streamName}:${shardId}`;
  }
  workers(streamName: string): string {
    return `${this.prefix}workers:${streamName}`;
  }
  deadLetters(): string {
    return `${this.prefix}dead-letters`;
  }
}

export const STOCK_INDEX_SEPARATOR = '\t';

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
  /** Prefix of the producer-retry dedupe sets: `<prefix>dedupe:<time bucket>`, sets of event ids. */
  dedupePrefix(): string {
    return `${this.prefix}dedupe:`;
  }
  /**
   * What an applied batch left for its persist job: its version, each SKU's state before it and the
   * events it left out (docs/aggregation.md, "One order across shards"); deleted once persisted.
   */
  applyReceipt(persistJobId: string): string {
    return `${this.prefix}apply-receipt:${persistJobId}`;
  }
  /**
   * A shard's applied batches not yet persisted, by where each starts: field `<after>` (`seq.sub`,
   * or `start`) → the batch's persist job id. Lets one persist job write its shard's earlier
   * batches in order instead of waiting for their jobs to come round.
   */
  applyChain(streamName: string, shardId: string): string {
    return `${this.prefix}apply-chain:${streamName}|${shardId}`;
  }
  /**
   * Hash of applied batches whose persist job may still be pending: persist job id → `<events>:<applied at ms>`.
   * Read by the workers' persist lag metrics (MySQL behind Redis, in events and seconds); pruned by them.
   */
  appliedBatches(): string {
    return `${this.prefix}applied-batches`;
  }
  deadLetters(): string {
    return `${this.prefix}dead-letters`;
  }
  /**
   * Prefix of the window buckets: `<prefix>kpi:<bucket ms>:<source>:<bucket start>` (+ `:u` / `:r` top-SKU sets).
   * A bucket hash holds the window's sums (`o r u c n`) and, apart, what arrived too late for it
   * (`lo lr lu lc ln`), which live KPIs leave out and reconcile adds back.
   */
  kpiBucketPrefix(): string {
    return `${this.prefix}kpi:`;
  }
  /** Sorted set of every bucket key, scored by bucket start, so expired buckets are dropped in order. */
  kpiBucketIndex(): string {
    return `${this.prefix}kpi-index`;
  }
  /** Hash of stock totals per location (`<location>:<field>`) and overall (`*:<field>`), plus lateness counters. */
  stockTotals(): string {
    return `${this.prefix}stock-totals`;
  }
  /** Outbox stream of raised alerts: pushed on /live and relayed to the persistence queue. */
  alerts(): string {
    return `${this.prefix}alerts`;
  }
  /** Stream of the outcomes of API writes (applied or rejected), written by the apply that decided them. */
  writeOutcomes(): string {
    return `${this.prefix}write-outcomes`;
  }
  /** Prefix of one key per API write holding its outcome for a day (`GET /writes/:eventId`). */
  writeStatusPrefix(): string {
    return `${this.prefix}write:`;
  }
  /** Supplier id → lead time in days, for computed reorder points. */
  supplierLeadTimes(): string {
    return `${this.prefix}supplier-lead-times`;
  }
}

export const STOCK_INDEX_SEPARATOR = '\t';

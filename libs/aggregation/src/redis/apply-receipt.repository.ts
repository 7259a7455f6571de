import type { Redis } from 'ioredis';
import {
  batchStartField,
  comparePositions,
  DroppedEvent,
  PersistBatchJob,
  persistBatchJobId,
  RedisKeys,
  StreamPosition,
} from '@stockwall/contracts';
import type { StockState } from '../core/stock-state';

/** One SKU's state just before an applied batch changed it; null: the SKU did not exist yet. */
export interface StateBefore {
  sku: string;
  location: string;
  state: StockState | null;
}

/**
 * What the live apply of one batch leaves for its persist job, written in the same atomic step:
 * MySQL follows it instead of deciding on its own, so both stores apply the same events in the
 * same order (docs/aggregation.md, "One order across shards").
 */
export interface ApplyReceipt {
  /** The live-state version the batch made: its place in the one order of all shards' batches. */
  version: number;
  after: StreamPosition | null;
  /** Events of the job the apply left out (producer retries, refused events). */
  dropped: DroppedEvent[];
  /** Each SKU the batch changed, as it was before the batch. */
  before: StateBefore[];
}

/** A batch the live apply took, with its receipt: what MySQL writes for it. */
export interface AppliedBatch {
  job: PersistBatchJob;
  receipt: ApplyReceipt;
}

/**
 * `applied`: persist the batch with its receipt. `pending`: the batch is not applied yet (the worker
 * may still apply it): wait. `superseded`: the shard's checkpoint is past the batch but this exact
 * batch was never applied (its worker lost the lease; another read the same records in other
 * batches, each with its own job) or its receipt is gone because it is persisted: nothing to do.
 */
export type ReceiptLookup =
  { status: 'applied'; receipt: ApplyReceipt } | { status: 'pending' } | { status: 'superseded' };

type BatchIdentity = Pick<PersistBatchJob, 'streamName' | 'shardId' | 'after' | 'last'>;

/** The keys an apply writes for its persist job: the receipt, and the batch's entry in its shard's chain. */
export interface ReceiptTarget {
  key: string;
  chainKey: string;
  chainField: string;
  jobId: string;
}

type StoredValue = string | false | null;
type StoredRow = [string, string, ...StoredValue[]];

export class ApplyReceiptRepository {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new RedisKeys(prefix);
  }

  private receiptKey(job: BatchIdentity): string {
    return this.keys.applyReceipt(persistBatchJobId(job));
  }

  /** Where the apply of `job`'s batch leaves its receipt and enters it in its shard's apply chain. */
  target(job: BatchIdentity): ReceiptTarget {
    const jobId = persistBatchJobId(job);
    return {
      key: this.keys.applyReceipt(jobId),
      chainKey: this.keys.applyChain(job.streamName, job.shardId),
      chainField: batchStartField(job.after),
      jobId,
    };
  }

  /**
   * The persist job id of the applied batch of a shard that starts at `after` (the shard's persisted
   * position), if it is applied and not persisted yet: the next batch MySQL needs from that shard.
   */
  async nextInChain(streamName: string, shardId: string, after: StreamPosition | null): Promise<string | null> {
    return this.redis.hget(this.keys.applyChain(streamName, shardId), batchStartField(after));
  }

  /** Reads the receipt and the shard's checkpoint in one atomic step, so an apply cannot fall between them. */
  async lookup(job: BatchIdentity): Promise<ReceiptLookup> {
    const results = await this.redis
      .multi()
      .get(this.receiptKey(job))
      .hmget(this.keys.checkpoint(job.streamName, job.shardId), 'seq', 'sub')
      .exec();
    if (!results) throw new Error('Receipt lookup was aborted');
    for (const [error] of results) if (error) throw error;
    const stored = results[0][1] as string | null;
    if (stored !== null) return { status: 'applied', receipt: parseApplyReceipt(stored) };
    const [sequenceNumber, subSequence] = results[1][1] as (string | null)[];
    const checkpoint = sequenceNumber ? { sequenceNumber, subSequence: Number(subSequence ?? 0) } : null;
    return checkpoint && comparePositions(job.last, checkpoint) <= 0 ? { status: 'superseded' } : { status: 'pending' };
  }

  /** Once MySQL holds the batches: each one's receipt and its place in the chain go together. */
  async delete(...jobs: BatchIdentity[]): Promise<void> {
    const transaction = this.redis.multi();
    for (const job of jobs) {
      const target = this.target(job);
      transaction.del(target.key).hdel(target.chainKey, target.chainField);
    }
    const results = await transaction.exec();
    for (const [error] of results ?? []) if (error) throw error;
  }
}

export function parseApplyReceipt(text: string): ApplyReceipt {
  const raw = JSON.parse(text) as { v: number; after: [string, string]; dropped: DroppedEvent[]; pre: unknown };
  // An empty Lua table encodes as {}: no SKU changed.
  const pre = Array.isArray(raw.pre) ? (raw.pre as StoredRow[]) : [];
  return {
    version: raw.v,
    after: raw.after[0] === '' ? null : { sequenceNumber: raw.after[0], subSequence: Number(raw.after[1]) },
    dropped: raw.dropped,
    before: pre.map(([sku, location, ...fields]) => ({ sku, location, state: parseStoredState(fields) })),
  };
}

const text = (value: StoredValue | undefined): string | null => (value === false || value == null ? null : value);
const numberOrNull = (value: StoredValue | undefined): number | null => {
  const stored = text(value);
  return stored === null || stored === '' ? null : Number(stored);
};

/** The stock hash fields `on cm uc up rp ac nm le` as the apply read them (false: absent). */
function parseStoredState(fields: StoredValue[]): StockState | null {
  const [onHand, committed, unitCost, unitPrice, reorderPoint, active, name, lastEventAt] = fields;
  if (text(onHand) === null) return null;
  return {
    onHand: Number(onHand),
    committed: numberOrNull(committed) ?? 0,
    unitCostCents: numberOrNull(unitCost),
    unitPriceCents: numberOrNull(unitPrice),
    reorderPoint: numberOrNull(reorderPoint),
    active: text(active) !== '0',
    name: text(name) || null,
    lastEventAt: numberOrNull(lastEventAt),
  };
}

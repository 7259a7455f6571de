import type { Redis } from 'ioredis';
import type { BatchHandler, BatchOutcome } from '@stockwall/ingest';
import {
  ApplyOutcome,
  ApplyReceipt,
  ApplyReceiptRepository,
  foldStock,
  LiveStateRepository,
} from '@stockwall/aggregation';
import type { StockwallConfig } from '@stockwall/config';
import { DroppedEvent, PersistBatchJob, persistBatchJobId, RedisKeys, StreamPosition } from '@stockwall/contracts';
import { bullConnection, createPersistQueue, type PersistQueue } from '../../apps/worker/src/persist-queue';
import { aQuantityChangedEvent } from '../factories/inventory-events';

/** The persist queue of a stack's config, on a connection of its own (close it with closeWithConnection). */
export function openPersistQueue(config: StockwallConfig): PersistQueue {
  return createPersistQueue(bullConnection(config.redis.url), config.queue.prefix);
}

export const position = (sequenceNumber: string): StreamPosition => ({ sequenceNumber, subSequence: 0 });

/** A persist-batch job of one `quantity_changed` event at `last`, its id `<sku>-<sequence number>`. */
export function quantityChangeJob(options: {
  streamName: string;
  shardId: string;
  after: StreamPosition | null;
  last: StreamPosition;
  sku: string;
  delta: number;
  occurredAt: string;
}): PersistBatchJob {
  const { streamName, shardId, after, last, sku, delta, occurredAt } = options;
  return {
    streamName,
    shardId,
    after,
    last,
    events: [
      {
        position: last,
        event: aQuantityChangedEvent({
          eventId: `${sku}-${last.sequenceNumber}`,
          occurredAt: Date.parse(occurredAt),
          location: 'main',
          source: 'test',
          sku,
          delta,
        }),
      },
    ],
    deadLetters: [],
  };
}

/**
 * Applies persist jobs' batches to the live state the way a worker does, in the order given (each
 * must start at its shard's checkpoint): takes each shard's lease, folds the batch and runs the
 * atomic apply with the job's receipt key, so the persist processor finds the receipts MySQL
 * follows. Tests that enqueue jobs themselves call this first, in stream order.
 */
export async function applyLive(redis: Redis, prefix: string, ...jobs: PersistBatchJob[]): Promise<ApplyReceipt[]> {
  return applyLiveWith(redis, prefix, {}, jobs);
}

/** applyLive with the producer-retry dedupe on (as workers run it): repeats are left out and named in the receipt. */
export async function applyLiveWith(
  redis: Redis,
  prefix: string,
  options: { dedupeWindowMs?: number },
  jobs: PersistBatchJob[],
): Promise<ApplyReceipt[]> {
  const liveState = new LiveStateRepository(redis, prefix);
  const receipts = new ApplyReceiptRepository(redis, prefix);
  const keys = new RedisKeys(prefix);
  const applied: ApplyReceipt[] = [];
  for (const job of jobs) {
    await redis.hset(keys.lease(job.streamName, job.shardId), 'owner', LIVE_TEST_OWNER, 'epoch', '1');
    let events = job.events;
    const dropped: DroppedEvent[] = [];
    let outcome: ApplyOutcome;
    for (;;) {
      const folded = foldStock(events.map((item) => item.event));
      outcome = await liveState.applyBatch({
        streamName: job.streamName,
        shardId: job.shardId,
        lease: { owner: LIVE_TEST_OWNER, epoch: 1 },
        after: job.after,
        last: job.last,
        shardEnd: false,
        changes: folded.changes,
        maxEventTime: folded.maxEventTime,
        sales: folded.sales,
        deadLetters: job.deadLetters,
        receipt: receipts.target(job),
        dedupe: { eventIds: events.map((item) => item.event.eventId), windowMs: options.dedupeWindowMs ?? 0 },
        dropped,
      });
      if (outcome.status !== 'seen') break;
      const seen = new Set(outcome.eventIds);
      events = events.filter((item) => !seen.has(item.event.eventId));
      for (const eventId of seen) dropped.push({ eventId, reason: 'duplicate', detail: 'seen' });
    }
    if (outcome.status !== 'applied') throw new Error(`Live apply of ${persistBatchJobId(job)}: ${outcome.status}`);
    const lookup = await receipts.lookup(job);
    if (lookup.status !== 'applied') throw new Error(`No receipt for ${persistBatchJobId(job)}`);
    applied.push(lookup.receipt);
  }
  return applied;
}

const LIVE_TEST_OWNER = 'test-live-applier';

/**
 * Hands a persist job's batch to a worker's real batch handler (enqueue, fold, atomic apply with
 * its refusals and dedupe), holding the shard's lease as the poller would.
 */
export async function applyThroughWorker(
  handler: BatchHandler,
  redis: Redis,
  prefix: string,
  job: PersistBatchJob,
): Promise<BatchOutcome> {
  await redis.hset(new RedisKeys(prefix).lease(job.streamName, job.shardId), 'owner', LIVE_TEST_OWNER, 'epoch', '1');
  return handler.handle({
    streamName: job.streamName,
    shardId: job.shardId,
    lease: { shardId: job.shardId, owner: LIVE_TEST_OWNER, epoch: 1 },
    after: job.after,
    last: job.last,
    events: job.events,
    deadLetters: job.deadLetters,
    shardEnd: false,
    millisBehindLatest: 0,
  });
}

import type { Job } from 'bullmq';
import type Redis from 'ioredis';
import { PERSIST_BATCH_JOB, PERSIST_QUEUE, PersistBatchJob, persistBatchJobId } from '@stockwall/contracts';
import { openQueue, startWorker, TypedQueue, TypedWorker } from './queues/bull-queues';

export { bullConnection, closeWithConnection } from './queues/bull-queues';

export type PersistQueue = TypedQueue<typeof PERSIST_QUEUE>;

/** Waits grow from 250 ms to 30 s with jitter: a MySQL outage is ridden out, not hammered. */
export function persistBackoff(attemptsMade: number): number {
  const ceiling = Math.min(30_000, 250 * 2 ** Math.min(attemptsMade, 12));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/**
 * While MySQL is unreachable a job waits about as long as the outage has lasted so far (250 ms at
 * first, 30 s at most, with jitter): a blip is over in a moment, a long outage is polled twice a
 * minute, and the wait after MySQL returns is never longer than the outage was.
 */
export function outageBackoff(outageMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(30_000, Math.max(250, outageMs));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Jobs that must never be dropped: retried for hours with capped backoff (see persistBackoff).
 * Waiting is not failing: a job that waits for its shard's previous batch, or for MySQL to answer
 * again, goes back to the delayed set without spending an attempt (see PersistProcessor), so an
 * outage of any length uses none of them.
 * A completed job keeps its data in Redis until removed, and a persist job of a 10,000-record
 * batch carries ~3 MB: only the last 100 stay for inspection (1,000 held 3 GB after a backlog).
 * Removing them is safe: a batch enqueued again is found already persisted by its position.
 */
export const DURABLE_JOB_OPTIONS = {
  attempts: 1_000,
  backoff: { type: 'capped-exponential' },
  removeOnComplete: { count: 100 },
  removeOnFail: { count: 10_000 },
} as const;

export function createPersistQueue(connection: Redis, prefix: string): PersistQueue {
  return openQueue(PERSIST_QUEUE, { connection, prefix }, DURABLE_JOB_OPTIONS);
}

export async function enqueuePersistBatch(queue: PersistQueue, job: PersistBatchJob): Promise<void> {
  await queue.add(PERSIST_BATCH_JOB, job, { jobId: persistBatchJobId(job) });
}

export function createPersistWorker(
  connection: Redis,
  prefix: string,
  concurrency: number,
  process: (job: Job<PersistBatchJob>, token?: string) => Promise<unknown>,
): TypedWorker<typeof PERSIST_QUEUE> {
  return startWorker(PERSIST_QUEUE, { connection, prefix }, process, {
    concurrency,
    // A killed worker's job is picked up again within seconds, not the default half minute.
    lockDuration: 10_000,
    stalledInterval: 5_000,
    backoff: persistBackoff,
  });
}

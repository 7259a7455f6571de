import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { ALERTS_QUEUE, PersistAlertJob } from '@stockwall/contracts';
import { DURABLE_JOB_OPTIONS, persistBackoff } from '../persist-queue';
import { openQueue, startWorker, TypedQueue, TypedWorker } from '../queues/bull-queues';

export type AlertsQueue = TypedQueue<typeof ALERTS_QUEUE>;

export function createAlertsQueue(connection: Redis, prefix: string): AlertsQueue {
  return openQueue(ALERTS_QUEUE, { connection, prefix }, DURABLE_JOB_OPTIONS);
}

/** Job ids may not contain ':' and SKUs may: the alert id is hashed into a fixed-length id. */
export function alertJobId(alertId: string): string {
  return `alert-${createHash('sha1').update(alertId).digest('hex')}`;
}

export function createAlertsWorker(
  connection: Redis,
  prefix: string,
  process: (alert: PersistAlertJob) => Promise<void>,
): TypedWorker<typeof ALERTS_QUEUE> {
  return startWorker(ALERTS_QUEUE, { connection, prefix }, (job) => process(job.data), {
    concurrency: 4,
    backoff: persistBackoff,
  });
}

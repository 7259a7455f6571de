import { createHash } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type Redis from 'ioredis';
import { ALERTS_QUEUE, PERSIST_ALERT_JOB, PersistAlertJob } from '@stockwall/contracts';
import { DURABLE_JOB_OPTIONS, persistBackoff } from '../persist-queue';

export type AlertsQueue = Queue<PersistAlertJob, unknown, typeof PERSIST_ALERT_JOB>;

export function createAlertsQueue(connection: Redis, prefix: string): AlertsQueue {
  return new Queue<PersistAlertJob, unknown, typeof PERSIST_ALERT_JOB>(ALERTS_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: DURABLE_JOB_OPTIONS,
  });
}

/** Job ids may not contain ':' and SKUs may: the alert id is hashed into a fixed-length id. */
export function alertJobId(alertId: string): string {
  return `alert-${createHash('sha1').update(alertId).digest('hex')}`;
}

export function createAlertsWorker(
  connection: Redis,
  prefix: string,
  process: (alert: PersistAlertJob) => Promise<void>,
): Worker<PersistAlertJob> {
  return new Worker<PersistAlertJob>(ALERTS_QUEUE, (job) => process(job.data), {
    connection,
    prefix,
    concurrency: 4,
    settings: { backoffStrategy: (attemptsMade: number) => persistBackoff(attemptsMade) },
  });
}

import type { DigestJob } from './digest.job';
import type { HistoryJob } from './history.job';
import type { NotificationJob } from './notification.job';
import type { PersistAlertJob } from './persist-alerts.job';
import type { PersistBatchJob } from './persist-batch.job';

/**
 * Every BullMQ queue, its job names and each job's payload: the one list producers, workers, the
 * queue board and the queue metrics are typed from. A queue or job that is not here does not exist.
 */
export interface JobMap {
  /** One Kinesis batch of one shard to MySQL, in shard order. */
  persist: { 'persist-batch': PersistBatchJob };
  /** One alert from the Redis outbox to MySQL. */
  alerts: { 'persist-alert': PersistAlertJob };
  /** One alert to one notification target. */
  notifications: { notify: NotificationJob };
  /** Repeatable: a stock snapshot, and the prune of raw events past retention. */
  history: { 'snapshot-stock': HistoryJob; 'prune-events': HistoryJob };
  /** Repeatable: the daily and weekly digest e-mails. */
  digests: { digest: DigestJob };
}

export type QueueName = keyof JobMap;
export type JobName<Q extends QueueName> = keyof JobMap[Q] & string;
export type JobData<Q extends QueueName> = JobMap[Q][JobName<Q>];

/** The queues by name, for code that walks all of them (metrics, the queue board). */
export const QUEUE_NAMES = [
  'persist',
  'alerts',
  'notifications',
  'history',
  'digests',
] as const satisfies readonly QueueName[];

/** Fails to compile when QUEUE_NAMES misses a queue of JobMap. */
type Missing = Exclude<QueueName, (typeof QUEUE_NAMES)[number]>;
const allQueuesListed: Missing extends never ? true : Missing = true;
void allQueuesListed;

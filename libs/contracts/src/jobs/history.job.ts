import type { QueueName } from './job-map';

/** Repeatable history jobs: stock snapshots and raw-event retention. */
export const HISTORY_QUEUE = 'history' satisfies QueueName;
export const SNAPSHOT_STOCK_JOB = 'snapshot-stock';
export const PRUNE_EVENTS_JOB = 'prune-events';
export type HistoryJobName = typeof SNAPSHOT_STOCK_JOB | typeof PRUNE_EVENTS_JOB;
/** Scheduled runs carry nothing: what they do follows from when they were due. */
export type HistoryJob = Record<string, never>;

import { DefaultJobOptions, Processor, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import type { JobData, JobName, QueueName } from '@stockwall/contracts';

/** A queue of the job map: its job names and payloads are those JobMap gives it. */
export type TypedQueue<Q extends QueueName> = Queue<JobData<Q>, unknown, JobName<Q>>;
export type TypedWorker<Q extends QueueName> = Worker<JobData<Q>, unknown, JobName<Q>>;
export type TypedProcessor<Q extends QueueName> = Processor<JobData<Q>, unknown, JobName<Q>>;

/** Where a queue or worker talks: a connection of its own (bullConnection) and the key prefix (QUEUE_PREFIX). */
export interface QueueHome {
  connection: Redis;
  prefix: string;
}

export interface WorkerSettings {
  concurrency: number;
  /** The wait before a failed job's next attempt, for every backoff type its jobs name. */
  backoff: (attemptsMade: number) => number;
  /** How long a job is locked to its worker; a killed worker's job is taken again once it lapses. */
  lockDuration?: number;
  stalledInterval?: number;
}

/** BullMQ needs connections that never give up on a command (maxRetriesPerRequest: null). */
export function bullConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

/** BullMQ leaves connections it was given open; these close the queue or worker and then theirs. */
export async function closeWithConnection(closable: { close(): Promise<void>; opts: { connection?: unknown } }) {
  await closable.close();
  const connection = closable.opts.connection;
  if (connection instanceof Redis) await connection.quit().catch(() => connection.disconnect());
}

/** A producer's handle on a queue, on a connection of its own. */
export function openQueue<Q extends QueueName>(
  name: Q,
  home: QueueHome,
  defaultJobOptions?: DefaultJobOptions,
): TypedQueue<Q> {
  return new Queue<JobData<Q>, unknown, JobName<Q>>(name, { ...home, defaultJobOptions });
}

/**
 * The one place workers are made: a connection of their own, the queue's concurrency and lock,
 * and its backoff strategy (every custom backoff type a job names is computed by it).
 */
export function startWorker<Q extends QueueName>(
  name: Q,
  home: QueueHome,
  processor: TypedProcessor<Q>,
  settings: WorkerSettings,
): TypedWorker<Q> {
  return new Worker<JobData<Q>, unknown, JobName<Q>>(name, processor, {
    ...home,
    concurrency: settings.concurrency,
    ...(settings.lockDuration === undefined ? {} : { lockDuration: settings.lockDuration }),
    ...(settings.stalledInterval === undefined ? {} : { stalledInterval: settings.stalledInterval }),
    settings: { backoffStrategy: (attemptsMade: number) => settings.backoff(attemptsMade) },
  });
}

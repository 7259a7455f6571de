import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HISTORY_QUEUE, PRUNE_EVENTS_JOB, SNAPSHOT_STOCK_JOB } from '@stockwall/contracts';
import { pruneEvents, snapshotStock } from '@stockwall/persistence';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { persistBackoff } from '../persist-queue';
import {
  bullConnection,
  closeWithConnection,
  openQueue,
  startWorker,
  TypedQueue,
  TypedWorker,
} from '../queues/bull-queues';

const PRUNE_EVERY_MS = 3_600_000;

/**
 * Repeatable history jobs: a stock snapshot every SNAPSHOT_INTERVAL_SECONDS and an hourly prune of
 * raw events older than RETENTION_DAYS. Job schedulers are upserted by every worker (same id, one
 * schedule); a MySQL outage makes a run fail and retry with the persist backoff.
 */
@Injectable()
export class HistoryJobsProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HistoryJobsProcessor.name);
  private queue: TypedQueue<typeof HISTORY_QUEUE> | null = null;
  private worker: TypedWorker<typeof HISTORY_QUEUE> | null = null;

  constructor(@Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure) {}

  async onApplicationBootstrap(): Promise<void> {
    const { config, dataSource } = this.infrastructure;
    const home = () => ({ connection: bullConnection(config.redis.url), prefix: config.queue.prefix });
    this.queue = openQueue(HISTORY_QUEUE, home());
    const jobOptions = {
      attempts: 20,
      backoff: { type: 'capped-exponential' },
      removeOnComplete: 100,
      removeOnFail: 100,
    };
    await this.queue.upsertJobScheduler(
      SNAPSHOT_STOCK_JOB,
      { every: config.history.snapshotIntervalMs },
      { name: SNAPSHOT_STOCK_JOB, opts: jobOptions },
    );
    await this.queue.upsertJobScheduler(
      PRUNE_EVENTS_JOB,
      { every: PRUNE_EVERY_MS },
      { name: PRUNE_EVENTS_JOB, opts: jobOptions },
    );
    const worker = startWorker(
      HISTORY_QUEUE,
      home(),
      async (job) => {
        if (job.name === SNAPSHOT_STOCK_JOB) {
          // The scheduled time, not the run time: a retried run writes the same snapshot.
          const takenAt = new Date(Math.floor((job.opts.timestamp ?? job.timestamp) / 1_000) * 1_000);
          return { rows: await snapshotStock(dataSource, takenAt) };
        }
        const result = await pruneEvents(dataSource, config.history.retentionDays, Date.now());
        if (result.events > 0) this.logger.log(`Pruned ${result.events} events before ${result.cutoff?.toISOString()}`);
        return result;
      },
      { concurrency: 1, backoff: persistBackoff },
    );
    worker.on('failed', (job, error) => this.logger.warn(`${job?.name} failed: ${error.message}`));
    worker.on('error', (error) => this.logger.warn(`History worker: ${error.message}`));
    this.worker = worker;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker) await closeWithConnection(this.worker);
    if (this.queue) await closeWithConnection(this.queue);
  }
}

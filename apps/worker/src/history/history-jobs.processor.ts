import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HISTORY_QUEUE, PRUNE_EVENTS_JOB, SNAPSHOT_STOCK_JOB } from '@stockwall/contracts';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { persistBackoff } from '../persist-queue';
import { closeWithConnection, TypedQueue, TypedWorker } from '../queues/bull-queues';
import { WorkerQueues } from '../queues/worker-queues';
import { HistoryMaintenanceRepository } from './history-maintenance.repository';

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

  constructor(
    @Inject(STOCKWALL_CONFIG) private readonly config: StockwallConfig,
    private readonly queues: WorkerQueues,
    private readonly maintenance: HistoryMaintenanceRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.queue = this.queues.open(HISTORY_QUEUE);
    const jobOptions = {
      attempts: 20,
      backoff: { type: 'capped-exponential' },
      removeOnComplete: 100,
      removeOnFail: 100,
    };
    await this.queue.upsertJobScheduler(
      SNAPSHOT_STOCK_JOB,
      { every: this.config.history.snapshotIntervalMs },
      { name: SNAPSHOT_STOCK_JOB, opts: jobOptions },
    );
    await this.queue.upsertJobScheduler(
      PRUNE_EVENTS_JOB,
      { every: PRUNE_EVERY_MS },
      { name: PRUNE_EVENTS_JOB, opts: jobOptions },
    );
    const worker = this.queues.start(
      HISTORY_QUEUE,
      async (job) => {
        if (job.name === SNAPSHOT_STOCK_JOB) {
          // The scheduled time, not the run time: a retried run writes the same snapshot.
          const takenAt = new Date(Math.floor((job.opts.timestamp ?? job.timestamp) / 1_000) * 1_000);
          return { rows: await this.maintenance.snapshotStock(takenAt) };
        }
        const result = await this.maintenance.pruneEvents(this.config.history.retentionDays, Date.now());
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

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, Job, Worker } from 'bullmq';
import type { PersistBatchJob } from '@stockwall/contracts';
import { PersistBatchWriter, PersistOutOfOrderError } from '@stockwall/persistence';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { bullConnection, closeWithConnection, createPersistWorker } from './persist-queue';

/** A batch that waits for an earlier one of its shard looks again this soon, without spending an attempt. */
const OUT_OF_ORDER_RECHECK_MS = 100;

/** Consumes `persist-batch` jobs into MySQL. Failures retry with capped backoff; nothing is dropped. */
@Injectable()
export class PersistProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PersistProcessor.name);
  private worker: Worker<PersistBatchJob> | null = null;

  constructor(@Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure) {}

  onApplicationBootstrap(): void {
    const { config, dataSource } = this.infrastructure;
    const writer = new PersistBatchWriter(dataSource);
    this.worker = createPersistWorker(
      bullConnection(config.redis.url),
      config.queue.prefix,
      config.queue.persistConcurrency,
      (job, token) => this.persist(writer, job, token),
    );
    this.worker.on('failed', (job, error) => {
      this.logger.warn(`persist-batch ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`);
    });
    this.worker.on('error', (error) => this.logger.warn(`Persist worker: ${error.message}`));
  }

  /**
   * Several workers consume the queue, so a shard's next batch can start before the previous one
   * committed. That is waiting, not failing: the job goes back to the delayed set for a moment.
   */
  private async persist(writer: PersistBatchWriter, job: Job<PersistBatchJob>, token?: string): Promise<unknown> {
    try {
      return await writer.write(job.data);
    } catch (error) {
      if (!(error instanceof PersistOutOfOrderError)) throw error;
      await job.moveToDelayed(Date.now() + OUT_OF_ORDER_RECHECK_MS, token);
      throw new DelayedError();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker) await closeWithConnection(this.worker);
  }
}

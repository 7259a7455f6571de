import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Worker } from 'bullmq';
import type { PersistBatchJob } from '@stockwall/contracts';
import { PersistBatchWriter, PersistOutOfOrderError } from '@stockwall/persistence';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { bullConnection, closeWithConnection, createPersistWorker } from './persist-queue';

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
      (job) => writer.write(job.data),
    );
    this.worker.on('failed', (job, error) => {
      if (error instanceof PersistOutOfOrderError || error.name === 'PersistOutOfOrderError') return;
      this.logger.warn(`persist-batch ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`);
    });
    this.worker.on('error', (error) => this.logger.warn(`Persist worker: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker) await closeWithConnection(this.worker);
  }
}

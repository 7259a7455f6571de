import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, Job, Worker } from 'bullmq';
import type { PersistBatchJob } from '@stockwall/contracts';
import {
  describeMysqlError,
  isConnectionError,
  PersistBatchWriter,
  PersistOutOfOrderError,
} from '@stockwall/persistence';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { ApplyReceiptRepository } from '@stockwall/aggregation';
import { IngestMetrics } from '@stockwall/ingest';
import { Counter, Registry } from 'prom-client';
import { bullConnection, closeWithConnection, createPersistWorker, outageBackoff } from './persist-queue';

/** A batch that waits for an earlier one of its shard looks again this soon, without spending an attempt. */
const OUT_OF_ORDER_RECHECK_MS = 100;
/** A batch enqueued but not applied live yet (its worker is applying it, or lost it) looks again this soon. */
const NOT_APPLIED_RECHECK_MS = 250;

/**
 * Consumes `persist-batch` jobs into MySQL. Failures retry with capped backoff; nothing is dropped.
 * Waiting for the shard's previous batch, or for an unreachable MySQL, spends no attempt.
 */
@Injectable()
export class PersistProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PersistProcessor.name);
  private worker: Worker<PersistBatchJob> | null = null;
  private readonly redeliveries: Counter;
  /** When this process first found MySQL unreachable in the current outage; null while it answers. */
  private outageSince: number | null = null;

  constructor(
    @Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure,
    private readonly receipts: ApplyReceiptRepository,
    metrics: IngestMetrics,
  ) {
    this.redeliveries = redeliveryCounter(metrics.registry);
  }

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
   * So is a MySQL outage (refused or lost connections, too many connections): counted as failures,
   * a long outage would use up every queued job's attempts, fail them for good and leave each
   * shard's next batch waiting for them forever. Those jobs wait with a backoff that grows with the
   * outage instead. Lock waits and deadlocks stay ordinary retries.
   */
  private async persist(writer: PersistBatchWriter, job: Job<PersistBatchJob>, token?: string): Promise<unknown> {
    // MySQL follows the live apply: only a batch the apply took is written, with its receipt.
    const lookup = await this.receipts.lookup(job.data);
    if (lookup.status === 'pending') return this.waitWithoutAttempt(job, token, NOT_APPLIED_RECHECK_MS);
    if (lookup.status === 'superseded') return 'superseded';
    let result;
    try {
      result = await writer.write(job.data, lookup.receipt);
    } catch (error) {
      if (error instanceof PersistOutOfOrderError) {
        this.outageSince = null;
        return this.waitWithoutAttempt(job, token, OUT_OF_ORDER_RECHECK_MS);
      }
      if (!isConnectionError(error)) {
        this.outageSince = null;
        throw error;
      }
      const now = Date.now();
      if (this.outageSince === null) {
        this.outageSince = now;
        this.logger.warn(`MySQL is unreachable (${describeMysqlError(error)}); persist-batch jobs wait for it`);
      }
      return this.waitWithoutAttempt(job, token, outageBackoff(now - this.outageSince));
    }
    if (this.outageSince !== null) {
      this.logger.log(`MySQL answers again after ${Math.round((Date.now() - this.outageSince) / 1000)} s`);
      this.outageSince = null;
    }
    if (result.outcome === 'persisted_with_rejections') {
      this.logger.warn(
        `persist-batch ${job.id}: MySQL refused some events; they are in dead_letters (persist_rejected)`,
      );
    }
    if (result.redelivered > 0) {
      this.redeliveries.inc(result.redelivered);
      this.logger.warn(
        `persist-batch ${job.id}: ${result.redelivered} event(s) with ids already stored were applied again ` +
          '(producer retries after the dedupe window); stored as re-deliveries',
      );
    }
    // Deleted only once MySQL holds the batch: a retry after a crash here finds it already persisted.
    await this.receipts.delete(job.data);
    return result.outcome;
  }

  /** Back to the delayed set until `delayMs` from now; BullMQ counts no attempt for it. */
  private async waitWithoutAttempt(
    job: Job<PersistBatchJob>,
    token: string | undefined,
    delayMs: number,
  ): Promise<never> {
    await job.moveToDelayed(Date.now() + delayMs, token);
    throw new DelayedError();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker) await closeWithConnection(this.worker);
  }
}

/** Events counted again live after the dedupe window and stored as re-deliveries. */
function redeliveryCounter(registry: Registry): Counter {
  const name = 'stockwall_persist_redelivered_events_total';
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter;
  return new Counter({
    name,
    registers: [registry],
    help: 'Events whose id MySQL already held, applied again live (producer retries after the dedupe window)',
  });
}

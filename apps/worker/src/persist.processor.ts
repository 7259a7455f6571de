import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, Job, Worker } from 'bullmq';
import { PersistBatchJob, persistBatchJobId } from '@stockwall/contracts';
import {
  describeMysqlError,
  isConnectionError,
  PersistBatchWriter,
  PersistOutcome,
  PersistOutOfOrderError,
} from '@stockwall/persistence';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { ApplyReceipt, ApplyReceiptRepository } from '@stockwall/aggregation';
import { IngestMetrics } from '@stockwall/ingest';
import { Counter, Registry } from 'prom-client';
import {
  bullConnection,
  closeWithConnection,
  createPersistQueue,
  createPersistWorker,
  outageBackoff,
  PersistQueue,
} from './persist-queue';

/** A batch that waits for an earlier one of its shard looks again this soon, without spending an attempt. */
const OUT_OF_ORDER_RECHECK_MS = 100;
/** A batch enqueued but not applied live yet (its worker is applying it, or lost it) looks again this soon. */
const NOT_APPLIED_RECHECK_MS = 250;
/** Earlier batches one job persists before it goes back to waiting (each is a whole batch of its shard). */
const MAX_CHAIN_STEPS = 1_000;

/**
 * Consumes `persist-batch` jobs into MySQL. Failures retry with capped backoff; nothing is dropped.
 * Waiting for the shard's previous batch, or for an unreachable MySQL, spends no attempt.
 */
@Injectable()
export class PersistProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PersistProcessor.name);
  private worker: Worker<PersistBatchJob> | null = null;
  private readonly redeliveries: Counter;
  private readonly chainWrites: Counter;
  /** Reads the jobs of a shard's earlier batches (see writeInOrder). */
  private chainQueue: PersistQueue | null = null;
  /** When this process first found MySQL unreachable in the current outage; null while it answers. */
  private outageSince: number | null = null;

  constructor(
    @Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure,
    private readonly receipts: ApplyReceiptRepository,
    metrics: IngestMetrics,
  ) {
    this.redeliveries = counter(
      metrics.registry,
      'stockwall_persist_redelivered_events_total',
      'Events whose id MySQL already held, applied again live (producer retries after the dedupe window)',
    );
    this.chainWrites = counter(
      metrics.registry,
      'stockwall_persist_chain_batches_total',
      "Batches persisted by a later batch's job of their shard, which found them applied but not persisted yet",
    );
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
    this.chainQueue = createPersistQueue(bullConnection(config.redis.url), config.queue.prefix);
    this.worker.on('failed', (job, error) => {
      this.logger.warn(`persist-batch ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`);
    });
    this.worker.on('error', (error) => this.logger.warn(`Persist worker: ${error.message}`));
  }

  /**
   * Several workers consume the queue, so a shard's next batch can come up before the previous one
   * committed. Its job then persists the shard's earlier batches itself, in order, from their jobs
   * (see writeInOrder); only a predecessor not applied live yet makes it wait, back in the delayed
   * set for a moment. A MySQL outage (refused or lost connections, too many connections) is waiting
   * too: counted as failures, a long outage would use up every queued job's attempts, fail them for
   * good and leave each shard's next batch waiting for them forever. Those jobs wait with a backoff
   * that grows with the outage instead. Lock waits and deadlocks stay ordinary retries.
   */
  private async persist(writer: PersistBatchWriter, job: Job<PersistBatchJob>, token?: string): Promise<unknown> {
    // MySQL follows the live apply: only a batch the apply took is written, with its receipt.
    const lookup = await this.receipts.lookup(job.data);
    if (lookup.status === 'pending') return this.waitWithoutAttempt(job, token, NOT_APPLIED_RECHECK_MS);
    if (lookup.status === 'superseded') return 'superseded';
    let outcome;
    try {
      outcome = await this.writeInOrder(writer, job.data, lookup.receipt);
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
    return outcome;
  }

  /**
   * Writes an applied batch. When MySQL has not reached its start yet, the batch that starts where
   * MySQL stands is looked up in the shard's apply chain and persisted first from its own job, then
   * the next, until this one fits: a shard's backlog is written in one pass whatever order its jobs
   * sit in the queue (after a MySQL outage they are scattered across it, and each one sent back to
   * the delayed set would drain the shard one batch per trip through the whole queue). Their own
   * jobs then find them persisted. A child shard's first batch does the same for its parents.
   * Throws PersistOutOfOrderError when an earlier batch is not applied live yet.
   */
  private async writeInOrder(
    writer: PersistBatchWriter,
    data: PersistBatchJob,
    receipt: ApplyReceipt,
  ): Promise<PersistOutcome> {
    for (let step = 0; ; step++) {
      try {
        return await this.writeApplied(writer, data, receipt);
      } catch (error) {
        if (!(error instanceof PersistOutOfOrderError) || step >= MAX_CHAIN_STEPS) throw error;
        if (!(await this.persistNextInChain(writer, error))) throw error;
      }
    }
  }

  /** Persists the applied batch starting where MySQL stands on the awaited shard; false when there is none yet. */
  private async persistNextInChain(writer: PersistBatchWriter, waiting: PersistOutOfOrderError): Promise<boolean> {
    const jobId = await this.receipts.nextInChain(waiting.streamName, waiting.shardId, waiting.persisted);
    const earlier = jobId ? await this.chainQueue?.getJob(jobId) : undefined;
    if (!earlier) return false;
    const lookup = await this.receipts.lookup(earlier.data);
    // Superseded here: persisted meanwhile by its own job or another catching up; look again.
    if (lookup.status !== 'applied') return lookup.status === 'superseded';
    await this.writeInOrder(writer, earlier.data, lookup.receipt);
    this.chainWrites.inc();
    return true;
  }

  private async writeApplied(
    writer: PersistBatchWriter,
    data: PersistBatchJob,
    receipt: ApplyReceipt,
  ): Promise<PersistOutcome> {
    const jobId = persistBatchJobId(data);
    const result = await writer.write(data, receipt);
    if (result.outcome === 'persisted_with_rejections') {
      this.logger.warn(
        `persist-batch ${jobId}: MySQL refused some events; they are in dead_letters (persist_rejected)`,
      );
    }
    if (result.redelivered > 0) {
      this.redeliveries.inc(result.redelivered);
      this.logger.warn(
        `persist-batch ${jobId}: ${result.redelivered} event(s) with ids already stored were applied again ` +
          '(producer retries after the dedupe window); stored as re-deliveries',
      );
    }
    // Deleted only once MySQL holds the batch: a retry after a crash here finds it already persisted.
    await this.receipts.delete(data);
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
    if (this.chainQueue) await closeWithConnection(this.chainQueue);
  }
}

/** One counter per registry: several processors in one process (tests) share it. */
function counter(registry: Registry, name: string, help: string): Counter {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter;
  return new Counter({ name, help, registers: [registry] });
}

import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { PERSIST_QUEUE, type PersistBatchJob } from '@stockwall/contracts';
import {
  describeMysqlError,
  isConnectionError,
  PersistBatchWriter,
  PersistOutOfOrderError,
} from '@stockwall/persistence';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { ApplyReceiptRepository } from '@stockwall/aggregation';
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
import type { TypedWorker } from './queues/bull-queues';
import { PersistChain } from './persist-chain';

/** A batch that waits for an earlier one of its shard looks again this soon, without spending an attempt. */
const OUT_OF_ORDER_RECHECK_MS = 100;
/** A batch enqueued but not applied live yet (its worker is applying it, or lost it) looks again this soon. */
const NOT_APPLIED_RECHECK_MS = 250;

/**
 * Consumes `persist-batch` jobs into MySQL. Failures retry with capped backoff; nothing is dropped.
 * Waiting for the shard's previous batch, or for an unreachable MySQL, spends no attempt.
 */
@Injectable()
export class PersistProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(PersistProcessor.name);
  private worker: TypedWorker<typeof PERSIST_QUEUE> | null = null;
  private readonly counters: { redelivered: Counter; chained: Counter };
  /** Reads the jobs of a shard's other batches (see PersistChain). */
  private chainQueue: PersistQueue | null = null;
  private chain: PersistChain | null = null;
  /** When this process first found MySQL unreachable in the current outage; null while it answers. */
  private outageSince: number | null = null;

  constructor(
    @Inject(STOCKWALL_CONFIG) private readonly config: StockwallConfig,
    private readonly writer: PersistBatchWriter,
    private readonly receipts: ApplyReceiptRepository,
    metrics: IngestMetrics,
  ) {
    this.counters = {
      redelivered: counter(
        metrics.registry,
        'stockwall_persist_redelivered_events_total',
        'Events whose id MySQL already held, applied again live (producer retries after the dedupe window)',
      ),
      chained: counter(
        metrics.registry,
        'stockwall_persist_chain_batches_total',
        "Batches persisted by another batch's job of their shard, in order, from the shard's apply chain",
      ),
    };
  }

  onApplicationBootstrap(): void {
    const { config } = this;
    this.chainQueue = createPersistQueue(bullConnection(config.redis.url), config.queue.prefix);
    this.chain = new PersistChain(this.writer, this.receipts, this.chainQueue, this.counters, this.logger);
    this.worker = createPersistWorker(
      bullConnection(config.redis.url),
      config.queue.prefix,
      config.queue.persistConcurrency,
      (job, token) => this.persist(job, token),
    );
    this.worker.on('failed', (job, error) => {
      this.logger.warn(`persist-batch ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`);
    });
    this.worker.on('error', (error) => this.logger.warn(`Persist worker: ${error.message}`));
  }

  /**
   * Several workers consume the queue, so a shard's next batch can come up before the previous one
   * committed. Its job then persists the shard's earlier batches itself, in order, from their jobs
   * (see PersistChain); only a predecessor not applied live yet makes it wait, back in the delayed
   * set for a moment. A MySQL outage (refused or lost connections, too many connections) is waiting
   * too: counted as failures, a long outage would use up every queued job's attempts, fail them for
   * good and leave each shard's next batch waiting for them forever. Those jobs wait with a backoff
   * that grows with the outage instead. Lock waits and deadlocks stay ordinary retries.
   */
  private async persist(job: Job<PersistBatchJob>, token?: string): Promise<unknown> {
    // MySQL follows the live apply: only a batch the apply took is written, with its receipt.
    const lookup = await this.receipts.lookup(job.data);
    if (lookup.status === 'pending') return this.waitWithoutAttempt(job, token, NOT_APPLIED_RECHECK_MS);
    if (lookup.status === 'superseded') return 'superseded';
    let outcome;
    try {
      outcome = await this.chain?.persist({ job: job.data, receipt: lookup.receipt });
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

  /** Back to the delayed set until `delayMs` from now; BullMQ counts no attempt for it. */
  private async waitWithoutAttempt(
    job: Job<PersistBatchJob>,
    token: string | undefined,
    delayMs: number,
  ): Promise<never> {
    await job.moveToDelayed(Date.now() + delayMs, token);
    throw new DelayedError();
  }

  /** Before the queues close: a job writing its shard's backlog stops after its current transaction. */
  beforeApplicationShutdown(): void {
    this.chain?.stop();
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

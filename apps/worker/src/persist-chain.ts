import type { Logger } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { PersistBatchJob, persistBatchJobId, StreamPosition } from '@stockwall/contracts';
import { ApplyReceiptRepository, AppliedBatch } from '@stockwall/aggregation';
import { PersistBatchWriter, PersistOutcome, PersistOutOfOrderError } from '@stockwall/persistence';
import type { PersistQueue } from './persist-queue';

export interface PersistChainLimits {
  /** Batches written in one MySQL transaction. */
  groupBatches: number;
  /** Events after which a transaction takes no further batch (at least one is always taken). */
  groupEvents: number;
  /** Transactions of earlier batches one job writes before it goes back to waiting. */
  catchUpGroups: number;
  /** Transactions of later batches one job writes after its own. */
  followGroups: number;
  /** Time one job spends on other batches; past it, they are left to their own jobs (or the next try). */
  budgetMs: number;
}

export const PERSIST_CHAIN_LIMITS: PersistChainLimits = {
  groupBatches: 200,
  groupEvents: 5_000,
  catchUpGroups: 1_000,
  followGroups: 20,
  budgetMs: 5_000,
};

/**
 * Writes a shard's applied batches to MySQL in their stream order, several per transaction, from
 * the shard's apply chain (the batches the live apply took, by where each starts; see
 * ApplyReceiptRepository.nextInChain) rather than from the order their jobs come out of the queue.
 *
 * A job whose batch MySQL has not reached yet persists the batches before it first, from their own
 * jobs, so a shard's backlog is written in one pass whatever order its jobs sit in (after a MySQL
 * outage they are scattered through the queue; sent back to the delayed set one by one, the
 * shard would advance one batch per trip through the whole queue). After its own batch, a job
 * also writes what its shard applied since, so a backlog goes by in transactions of up to
 * `groupBatches` batches instead of one commit per batch. The jobs of batches written this way
 * later find them persisted. Two workers writing one shard serialise on its position row and the
 * second finds the batches persisted.
 */
export class PersistChain {
  private stopping = false;

  constructor(
    private readonly writer: PersistBatchWriter,
    private readonly receipts: ApplyReceiptRepository,
    private readonly jobs: Pick<PersistQueue, 'getJob'>,
    private readonly counters: { redelivered: Counter; chained: Counter },
    private readonly logger: Logger,
    private readonly limits: PersistChainLimits = PERSIST_CHAIN_LIMITS,
  ) {}

  /**
   * Persists `batch` in order, then what its shard applied after it. Throws PersistOutOfOrderError
   * when a batch before it (or, for a child shard's first batch, a parent's) is not applied live yet.
   */
  async persist(batch: AppliedBatch): Promise<PersistOutcome> {
    const until = Date.now() + this.limits.budgetMs;
    const outcome = await this.writeInOrder(batch, until);
    await this.persistFollowing(batch.job, until);
    return outcome;
  }

  /** Shutting down: every job in flight finishes its current transaction and leaves the rest. */
  stop(): void {
    this.stopping = true;
  }

  /** Whether a job may take on another transaction of other batches. */
  private mayGoOn(until: number): boolean {
    return !this.stopping && Date.now() < until;
  }

  private async writeInOrder(batch: AppliedBatch, until: number): Promise<PersistOutcome> {
    for (let group = 0; ; group++) {
      try {
        const [outcome] = await this.write([batch], false);
        return outcome;
      } catch (error) {
        if (!(error instanceof PersistOutOfOrderError) || group >= this.limits.catchUpGroups) throw error;
        // Out of time: the job waits a moment and goes on from where MySQL then stands.
        if (!this.mayGoOn(until)) throw error;
        await this.catchUp(error, persistBatchJobId(batch.job));
      }
    }
  }

  /**
   * Persists the applied batches MySQL waits for, from where it stands up to the waiting job's own
   * (`ownJobId`); throws `waiting` when there are none.
   */
  private async catchUp(waiting: PersistOutOfOrderError, ownJobId: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const group = await this.appliedFrom(waiting.streamName, waiting.shardId, waiting.persisted, ownJobId);
      if (group.length === 0) throw waiting;
      try {
        await this.write(group);
        return;
      } catch (error) {
        // The group starts with a child shard's first batch, which waits for its parents: those first.
        if (!(error instanceof PersistOutOfOrderError) || attempt >= this.limits.catchUpGroups) throw error;
        waiting = error;
      }
    }
  }

  /**
   * Writes what the shard applied after `job`. Its own batch is persisted by then, so a failure
   * here is left to those batches' own jobs.
   */
  private async persistFollowing(job: PersistBatchJob, until: number): Promise<void> {
    let after = job.last;
    try {
      for (let group = 0; group < this.limits.followGroups && this.mayGoOn(until); group++) {
        const batches = await this.appliedFrom(job.streamName, job.shardId, after);
        if (batches.length === 0) return;
        await this.write(batches);
        after = batches[batches.length - 1].job.last;
      }
    } catch (error) {
      if (!(error instanceof PersistOutOfOrderError)) {
        this.logger.warn(`Batches applied after ${persistBatchJobId(job)} are left to their jobs: ${String(error)}`);
      }
    }
  }

  /** The shard's applied, unpersisted batches from `after` on, in order, as many as one transaction takes. */
  private async appliedFrom(
    streamName: string,
    shardId: string,
    after: StreamPosition | null,
    stopAtJobId?: string,
  ): Promise<AppliedBatch[]> {
    const group: AppliedBatch[] = [];
    let events = 0;
    let position = after;
    while (group.length < this.limits.groupBatches && events < this.limits.groupEvents) {
      const jobId = await this.receipts.nextInChain(streamName, shardId, position);
      const job = jobId && jobId !== stopAtJobId ? await this.jobs.getJob(jobId) : undefined;
      if (!job) break;
      const lookup = await this.receipts.lookup(job.data);
      if (lookup.status !== 'applied') break;
      group.push({ job: job.data, receipt: lookup.receipt });
      events += job.data.events.length;
      position = job.data.last;
    }
    return group;
  }

  /** One transaction for the batches; then their receipts go. `chained`: written for another batch's job. */
  private async write(batches: AppliedBatch[], chained = true): Promise<PersistOutcome[]> {
    const results = await this.writer.writeMany(batches);
    results.forEach((result, index) => {
      const jobId = persistBatchJobId(batches[index].job);
      if (result.outcome === 'persisted_with_rejections') {
        this.logger.warn(
          `persist-batch ${jobId}: MySQL refused some events; they are in dead_letters (persist_rejected)`,
        );
      }
      if (result.redelivered > 0) {
        this.counters.redelivered.inc(result.redelivered);
        this.logger.warn(
          `persist-batch ${jobId}: ${result.redelivered} event(s) with ids already stored were applied again ` +
            '(producer retries after the dedupe window); stored as re-deliveries',
        );
      }
    });
    if (chained) this.counters.chained.inc(results.filter((result) => result.outcome !== 'already_persisted').length);
    // Deleted only once MySQL holds the batches: a retry after a crash here finds them persisted.
    await this.receipts.delete(...batches.map((batch) => batch.job));
    return results.map((result) => result.outcome);
  }
}

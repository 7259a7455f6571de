import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ReplyError } from 'ioredis';
import {
  ApplyBatchInput,
  ApplyCheck,
  ApplyOutcome,
  ApplyReceiptRepository,
  foldStock,
  LiveStateRepository,
} from '@stockwall/aggregation';
import {
  comparePositions,
  type DeadLetter,
  type DroppedEvent,
  type InventoryEvent,
  isApiWriteId,
  type PersistBatchJob,
  type PositionedEvent,
  skusOf,
  type WriteOutcome,
} from '@stockwall/contracts';
import { APPLY_REFUSED_REASON, eventDeadLetter } from '@stockwall/persistence';
import { STOCKWALL_CONFIG, type StockwallConfig } from '@stockwall/config';
import {
  dropRepeatedEventIds,
  fallbackEventId,
  IngestMetrics,
  type BatchHandler,
  type BatchOutcome,
  type ShardBatch,
} from '@stockwall/ingest';
import { PERSIST_QUEUE_TOKEN } from './worker.tokens';
import { closeWithConnection, enqueuePersistBatch, PersistQueue } from './persist-queue';

/**
 * The worker's half of the exactly-once contract: the persist job is enqueued first (its id is
 * deterministic, so a re-read enqueues nothing new), then the folded batch and the checkpoint
 * are applied in one fenced Redis step. Producer-retry duplicates are refused by that same step
 * (it answers with the ids it has seen and applies nothing); the batch is folded again without
 * them and applied. MySQL drops the same events by their unique event id.
 */
@Injectable()
export class BatchApplierService implements BatchHandler, OnApplicationShutdown {
  private readonly logger = new Logger(BatchApplierService.name);

  constructor(
    private readonly liveState: LiveStateRepository,
    private readonly receipts: ApplyReceiptRepository,
    private readonly metrics: IngestMetrics,
    @Inject(PERSIST_QUEUE_TOKEN) private readonly persistQueue: PersistQueue,
    @Inject(STOCKWALL_CONFIG) private readonly config: StockwallConfig,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await closeWithConnection(this.persistQueue);
  }

  async handle(batch: ShardBatch): Promise<BatchOutcome> {
    // A producer retry inside one batch is dropped before either store sees it.
    const repeated = dropRepeatedEventIds(batch.events);
    // Enqueued whenever the batch moves the shard forward, even with nothing to store (an aggregate
    // whose records were all dead-lettered, say): MySQL must advance its position too, or the
    // shard's next job would wait for a predecessor that never comes.
    const job: PersistBatchJob | null =
      batch.last && (!batch.after || comparePositions(batch.last, batch.after) > 0)
        ? {
            streamName: batch.streamName,
            shardId: batch.shardId,
            after: batch.after,
            last: batch.last,
            events: repeated.kept,
            deadLetters: batch.deadLetters,
            ...(batch.parents ? { parents: batch.parents } : {}),
          }
        : null;
    const enqueued = job ? enqueuePersistBatch(this.persistQueue, job) : Promise.resolve();
    let events = repeated.kept;
    let duplicates = repeated.dropped.length;
    // Events the apply leaves out, told to the persist job through the apply receipt.
    const dropped: DroppedEvent[] = [];
    const refusedLetters: DeadLetter[] = [];
    const windowMs = this.config.worker.dedupeWindowSeconds * 1000;
    const base = {
      streamName: batch.streamName,
      shardId: batch.shardId,
      lease: { owner: batch.lease.owner, epoch: batch.lease.epoch },
      after: batch.after,
      last: batch.last,
      shardEnd: batch.shardEnd,
      ...(job ? { receipt: this.receipts.target(job) } : {}),
    };
    // The fold needs nothing from the queue: it runs while the enqueue is on the wire, and the
    // apply still waits for the job to be stored (enqueue first, then apply).
    let folded = foldStock(events.map((item) => item.event));
    await enqueued;
    for (;;) {
      const started = process.hrtime.bigint();
      const outcome = await this.apply({
        ...base,
        changes: folded.changes,
        maxEventTime: folded.maxEventTime,
        sales: folded.sales,
        deadLetters: [...batch.deadLetters, ...refusedLetters],
        dedupe: { eventIds: producerEventIds(batch.shardId, events), windowMs },
        dropped,
        writeOutcomes: writeOutcomesOf(
          events.map((item) => item.event),
          dropped,
        ),
      });
      this.metrics.applyDuration.observe({ outcome: outcome.status }, Number(process.hrtime.bigint() - started) / 1e9);
      if (outcome.status === 'seen') {
        const seen = new Set(outcome.eventIds);
        const before = events.length;
        events = events.filter((item) => !seen.has(item.event.eventId));
        // Guards the loop: the script only answers `seen` with ids it was given.
        if (events.length === before) throw new Error(`Dedupe answered ids not in the batch of ${batch.shardId}`);
        duplicates += before - events.length;
        for (const eventId of seen) {
          dropped.push({ eventId, reason: 'duplicate', detail: 'applied before within the dedupe window' });
        }
        folded = foldStock(events.map((item) => item.event));
        continue;
      }
      if (outcome.status === 'refused') {
        // Each round takes out the one event that tips the batch over, so this ends.
        const index = await this.findRefusedEvent(base, events);
        const [refused] = events.splice(index, 1);
        const detail = `The live apply refused event ${refused.event.eventId}: ${outcome.reason}`;
        this.logger.warn(
          `Dead-lettered ${batch.shardId}/${refused.position.sequenceNumber}: apply_refused (${detail})`,
        );
        dropped.push({ eventId: refused.event.eventId, reason: 'apply_refused', detail });
        refusedLetters.push(eventDeadLetter(batch, refused, APPLY_REFUSED_REASON, detail));
        folded = foldStock(events.map((item) => item.event));
        continue;
      }
      if (outcome.status === 'applied') {
        if (duplicates > 0) this.metrics.duplicatesDropped.inc(duplicates);
        for (const letter of [...batch.deadLetters, ...refusedLetters]) {
          this.metrics.deadLetters.inc({ reason: letter.reason });
          this.logger.warn(
            `Dead-lettered ${letter.shardId}/${letter.position.sequenceNumber}: ${letter.reason} (${letter.detail})`,
          );
        }
      } else {
        this.logger.debug(`Batch of ${batch.shardId}: ${outcome.status}`);
      }
      return outcome.status;
    }
  }

  /**
   * A script error is a refusal too: the apply reads and checks everything before its first write,
   * so an error leaves nothing behind, and retrying the same batch would fail the same way for ever.
   * Connection losses, OOM, BUSY and the like are thrown and retried by the poller.
   */
  private async apply(input: ApplyBatchInput): Promise<ApplyOutcome> {
    try {
      return await this.liveState.applyBatch(input);
    } catch (error) {
      if (isScriptError(error)) return { status: 'refused', reason: (error as Error).message };
      throw error;
    }
  }

  /**
   * The first event whose prefix of the batch the apply refuses, by bisection over dry runs
   * (O(log n) checks; refusals are rare): the batch without events applies, the whole one does not.
   */
  private async findRefusedEvent(
    base: Omit<ApplyBatchInput, 'changes' | 'maxEventTime' | 'sales' | 'deadLetters'>,
    events: PositionedEvent[],
  ): Promise<number> {
    let valid = 0;
    let refused = events.length;
    while (refused - valid > 1) {
      const middle = Math.floor((valid + refused) / 2);
      const folded = foldStock(events.slice(0, middle).map((item) => item.event));
      let check: ApplyCheck;
      try {
        check = await this.liveState.checkBatch({
          ...base,
          changes: folded.changes,
          maxEventTime: folded.maxEventTime,
          sales: folded.sales,
          deadLetters: [],
        });
      } catch (error) {
        if (!isScriptError(error)) throw error;
        check = { valid: false, reason: (error as Error).message };
      }
      if (check.valid) valid = middle;
      else refused = middle;
    }
    if (refused === 0) throw new Error(`The live apply refuses a batch of ${base.shardId} without events`);
    return refused - 1;
  }
}

function isScriptError(error: unknown): boolean {
  return error instanceof ReplyError && /user_script|Error running script|ERR.*script/i.test((error as Error).message);
}

/** Ids the producer set; ids derived from the record's position are unique by construction. */
function producerEventIds(shardId: string, events: PositionedEvent[]): string[] {
  return events
    .filter((item) => item.event.eventId !== fallbackEventId({ shardId, position: item.position }))
    .map((item) => item.event.eventId);
}

/**
 * The outcomes of the API's writes in a batch (their ids start with `api-`): applied when the apply
 * keeps them, rejected when it refused them. Producer retries of a write applied before say nothing new.
 */
export function writeOutcomesOf(applied: InventoryEvent[], dropped: DroppedEvent[]): WriteOutcome[] {
  const outcomes: WriteOutcome[] = [];
  for (const event of applied) {
    if (!isApiWriteId(event.eventId)) continue;
    outcomes.push({
      state: 'applied',
      eventId: event.eventId,
      eventType: event.type,
      sku: skusOf(event)[0] ?? '',
      location: event.location,
    });
  }
  for (const entry of dropped) {
    if (entry.reason === 'apply_refused' && isApiWriteId(entry.eventId)) {
      outcomes.push({ state: 'rejected', eventId: entry.eventId, reason: entry.detail });
    }
  }
  return outcomes;
}

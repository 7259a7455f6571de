import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { foldStock, LiveStateRepository } from '@stockwall/aggregation';
import { comparePositions, type PositionedEvent } from '@stockwall/contracts';
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
    // whose user records all belong to another shard, say): MySQL must advance its position too, or
    // the shard's next job would wait for a predecessor that never comes.
    const enqueued =
      batch.last && (!batch.after || comparePositions(batch.last, batch.after) > 0)
        ? enqueuePersistBatch(this.persistQueue, {
            streamName: batch.streamName,
            shardId: batch.shardId,
            after: batch.after,
            last: batch.last,
            events: repeated.kept,
            deadLetters: batch.deadLetters,
            ...(batch.parents ? { parents: batch.parents } : {}),
          })
        : Promise.resolve();
    let events = repeated.kept;
    let dropped = repeated.dropped.length;
    const windowMs = this.config.worker.dedupeWindowSeconds * 1000;
    // The fold needs nothing from the queue: it runs while the enqueue is on the wire, and the
    // apply still waits for the job to be stored (enqueue first, then apply).
    let folded = foldStock(events.map((item) => item.event));
    await enqueued;
    for (;;) {
      const started = process.hrtime.bigint();
      const outcome = await this.liveState.applyBatch({
        streamName: batch.streamName,
        shardId: batch.shardId,
        lease: { owner: batch.lease.owner, epoch: batch.lease.epoch },
        after: batch.after,
        last: batch.last,
        shardEnd: batch.shardEnd,
        changes: folded.changes,
        maxEventTime: folded.maxEventTime,
        sales: folded.sales,
        deadLetters: batch.deadLetters,
        dedupe: { eventIds: producerEventIds(batch.shardId, events), windowMs },
      });
      this.metrics.applyDuration.observe({ outcome: outcome.status }, Number(process.hrtime.bigint() - started) / 1e9);
      if (outcome.status === 'seen') {
        const seen = new Set(outcome.eventIds);
        const before = events.length;
        events = events.filter((item) => !seen.has(item.event.eventId));
        // Guards the loop: the script only answers `seen` with ids it was given.
        if (events.length === before) throw new Error(`Dedupe answered ids not in the batch of ${batch.shardId}`);
        dropped += before - events.length;
        folded = foldStock(events.map((item) => item.event));
        continue;
      }
      if (outcome.status === 'applied') {
        if (dropped > 0) this.metrics.duplicatesDropped.inc(dropped);
        for (const letter of batch.deadLetters) {
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
}

/** Ids the producer set; ids derived from the record's position are unique by construction. */
function producerEventIds(shardId: string, events: PositionedEvent[]): string[] {
  return events
    .filter((item) => item.event.eventId !== fallbackEventId({ shardId, position: item.position }))
    .map((item) => item.event.eventId);
}

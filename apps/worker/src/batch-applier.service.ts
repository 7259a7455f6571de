import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { foldStock, LiveStateRepository } from '@stockwall/aggregation';
import type { BatchHandler, BatchOutcome, ShardBatch } from '@stockwall/ingest';
import { PERSIST_QUEUE_TOKEN } from './worker.tokens';
import { closeWithConnection, enqueuePersistBatch, PersistQueue } from './persist-queue';

/**
 * The worker's half of the exactly-once contract: the persist job is enqueued first (its id is
 * deterministic, so a re-read enqueues nothing new), then the folded batch and the checkpoint
 * are applied in one fenced Redis step.
 */
@Injectable()
export class BatchApplierService implements BatchHandler, OnApplicationShutdown {
  private readonly logger = new Logger(BatchApplierService.name);

  constructor(
    private readonly liveState: LiveStateRepository,
    @Inject(PERSIST_QUEUE_TOKEN) private readonly persistQueue: PersistQueue,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await closeWithConnection(this.persistQueue);
  }

  async handle(batch: ShardBatch): Promise<BatchOutcome> {
    if (batch.last && (batch.events.length > 0 || batch.deadLetters.length > 0)) {
      await enqueuePersistBatch(this.persistQueue, {
        streamName: batch.streamName,
        shardId: batch.shardId,
        after: batch.after,
        last: batch.last,
        events: batch.events,
        deadLetters: batch.deadLetters,
      });
    }
    const folded = foldStock(batch.events.map((item) => item.event));
    const outcome = await this.liveState.applyBatch({
      streamName: batch.streamName,
      shardId: batch.shardId,
      lease: { owner: batch.lease.owner, epoch: batch.lease.epoch },
      after: batch.after,
      last: batch.last,
      shardEnd: batch.shardEnd,
      changes: folded.changes,
      maxEventTime: folded.maxEventTime,
      deadLetters: batch.deadLetters,
    });
    if (batch.deadLetters.length > 0 && outcome.status === 'applied') {
      for (const letter of batch.deadLetters) {
        this.logger.warn(
          `Dead-lettered ${letter.shardId}/${letter.position.sequenceNumber}: ${letter.reason} (${letter.detail})`,
        );
      }
    }
    if (outcome.status !== 'applied') this.logger.debug(`Batch of ${batch.shardId}: ${outcome.status}`);
    return outcome.status;
  }
}

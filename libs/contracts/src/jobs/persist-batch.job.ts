import type { InventoryEvent } from '../events/event-types';
import type { StreamPosition } from '../position';

export const PERSIST_QUEUE = 'persist';
export const PERSIST_BATCH_JOB = 'persist-batch';

export interface PositionedEvent {
  position: StreamPosition;
  event: InventoryEvent;
}

export interface DeadLetter {
  streamName: string;
  shardId: string;
  position: StreamPosition;
  reason: string;
  detail: string;
  /** Base64 of the first bytes of the record. */
  rawBase64: string;
  rawBytes: number;
  receivedAt: number;
}

/**
 * One Kinesis batch of one shard, enqueued before the batch is applied to Redis.
 * `after` is the position the batch continues from (null: the shard's start), so the
 * processor can apply a shard's batches in order and skip what it already holds.
 */
export interface PersistBatchJob {
  streamName: string;
  shardId: string;
  after: StreamPosition | null;
  last: StreamPosition;
  events: PositionedEvent[];
  deadLetters: DeadLetter[];
  /**
   * On a child shard's first batch (after a split or merge): each parent's final position. The
   * batch is persisted only once every parent is persisted that far, as the live apply reads the
   * parents to their end before the child.
   */
  parents?: ShardEndPosition[];
}

export interface ShardEndPosition {
  shardId: string;
  last: StreamPosition;
}

export function persistBatchJobId(job: Pick<PersistBatchJob, 'streamName' | 'shardId' | 'last'>): string {
  // BullMQ job ids must not contain ':'.
  return `${job.streamName}|${job.shardId}|${job.last.sequenceNumber}.${job.last.subSequence}`;
}

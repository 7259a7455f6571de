import type { InventoryEvent } from '../events/event-types';
import type { StreamPosition } from '../position';
import type { QueueName } from './job-map';

export const PERSIST_QUEUE = 'persist' satisfies QueueName;
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

/**
 * A batch is its shard, where it starts and where it ends: two reads of one shard that end at the
 * same record but start apart are two batches (each with its own apply receipt), never one job.
 */
export function persistBatchJobId(job: Pick<PersistBatchJob, 'streamName' | 'shardId' | 'after' | 'last'>): string {
  // BullMQ job ids must not contain ':'.
  return `${job.streamName}|${job.shardId}|${batchStartField(job.after)}|${job.last.sequenceNumber}.${job.last.subSequence}`;
}

/** Where a batch starts, as it appears in its job id and in its shard's apply chain: `seq.sub`, or `start`. */
export function batchStartField(after: StreamPosition | null): string {
  return after ? `${after.sequenceNumber}.${after.subSequence}` : 'start';
}

/** Why an event of a persist job was left out of the live apply. */
export type DroppedEventReason =
  /** A producer retry: the same event_id was applied within the dedupe window. Not stored again. */
  | 'duplicate'
  /** The event would break a bound of the live state (an integer past 2^53 − 1): dead-lettered. */
  | 'apply_refused';

export interface DroppedEvent {
  eventId: string;
  reason: DroppedEventReason;
  detail: string;
}

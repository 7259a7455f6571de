import type { DeadLetter, PositionedEvent, ShardEndPosition, StreamPosition } from '@stockwall/contracts';
import type { Lease } from '../leases/lease.repository';

/** What one GetRecords call of one shard yields, decoded, for the worker to persist and apply. */
export interface ShardBatch {
  streamName: string;
  shardId: string;
  lease: Lease;
  /** Position the batch continues from: the shard's checkpoint when the batch was read. */
  after: StreamPosition | null;
  /** Position of the batch's last record (equal to `after` when it holds none). */
  last: StreamPosition | null;
  events: PositionedEvent[];
  deadLetters: DeadLetter[];
  /** The shard is closed and this batch holds its final records. */
  shardEnd: boolean;
  /** On a child shard's first batch: its parents' final positions (see PersistBatchJob.parents). */
  parents?: ShardEndPosition[];
  millisBehindLatest: number;
}

export type BatchOutcome = 'applied' | 'duplicate' | 'fenced' | 'out_of_order';

export interface BatchHandler {
  handle(batch: ShardBatch): Promise<BatchOutcome>;
}

export interface CheckpointReader {
  readCheckpoint(streamName: string, shardId: string): Promise<{ position: StreamPosition | null; ended: boolean }>;
}

import type { EntityManager } from 'typeorm';
import { createHash } from 'node:crypto';
import type {
  DeadLetter,
  PersistBatchJob,
  PositionedEvent,
  ShardEndPosition,
  StreamPosition,
} from '@stockwall/contracts';
import { describeMysqlError } from './mysql-errors';

/** Dead-letter reason of an event MySQL refused for its values (see PersistBatchWriter.write). */
export const PERSIST_REJECTED_REASON = 'persist_rejected';
/** Dead-letter reason of an event the live apply refused (it would break a bound of the live state). */
export const APPLY_REFUSED_REASON = 'apply_refused';
/** Bytes of the refused event's JSON kept with its dead letter, as for records refused at ingest. */
const REJECTED_RAW_BYTES = 2048;

/**
 * The previous batch of the shard, or for a child shard's first batch a parent's last one, is not
 * persisted yet; the job waits and retries later without spending an attempt.
 */
export class PersistOutOfOrderError extends Error {
  readonly streamName: string;
  /** The shard MySQL must advance first: the job's own, or the parent its first batch waits for. */
  readonly shardId: string;
  /** Where MySQL stands on that shard: its next batch to persist starts here. */
  readonly persisted: StreamPosition | null;

  constructor(job: PersistBatchJob, persisted: StreamPosition | null, waitingFor?: ShardEndPosition) {
    super(
      waitingFor
        ? `First batch of ${job.shardId} waits for its parent ${waitingFor.shardId} to be persisted up to ` +
            `${waitingFor.last.sequenceNumber} (persisted up to ${persisted?.sequenceNumber ?? 'nothing'})`
        : `Batch of ${job.shardId} after ${job.after?.sequenceNumber ?? 'start'} waits for earlier batches ` +
            `(persisted up to ${persisted?.sequenceNumber ?? 'nothing'})`,
    );
    this.name = 'PersistOutOfOrderError';
    this.streamName = job.streamName;
    this.shardId = waitingFor?.shardId ?? job.shardId;
    this.persisted = persisted;
  }
}

/**
 * The id of an event stored again (a producer retry the live apply counted after the dedupe window):
 * the original id (cut to fit) and a hash of the record's position, unique per delivery.
 */
export function redeliveryId(job: Pick<PersistBatchJob, 'shardId'>, { position, event }: PositionedEvent): string {
  const hash = createHash('sha256')
    .update(`${job.shardId}/${position.sequenceNumber}/${position.subSequence}`)
    .digest('hex')
    .slice(0, 20);
  return `${event.eventId.slice(0, 128)}~r${hash}`;
}

/** The dead letter of an event MySQL refused: its own position, MySQL's reason, and the event as persisted (JSON). */
export function rejectedEventLetter(
  job: Pick<PersistBatchJob, 'streamName' | 'shardId'>,
  item: PositionedEvent,
  error: unknown,
  receivedAt = Date.now(),
): DeadLetter {
  const detail = `MySQL refused event ${item.event.eventId} (${item.event.type}): ${describeMysqlError(error)}`;
  return eventDeadLetter(job, item, PERSIST_REJECTED_REASON, detail, receivedAt);
}

/** The dead letter of a decoded event left out of the stores: its own position, the reason, and the event as JSON. */
export function eventDeadLetter(
  job: Pick<PersistBatchJob, 'streamName' | 'shardId'>,
  { position, event }: PositionedEvent,
  reason: string,
  detail: string,
  receivedAt = Date.now(),
): DeadLetter {
  const raw = Buffer.from(JSON.stringify(event));
  return {
    streamName: job.streamName,
    shardId: job.shardId,
    position,
    reason,
    detail,
    rawBase64: raw.subarray(0, REJECTED_RAW_BYTES).toString('base64'),
    rawBytes: raw.byteLength,
    receivedAt,
  };
}

export async function insertDeadLetters(manager: EntityManager, letters: DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  await manager.query(
    `INSERT IGNORE INTO dead_letters (stream_name, shard_id, sequence_number, sub_sequence, reason, detail,
       raw_base64, raw_bytes, received_at) VALUES ?`,
    [
      letters.map((letter) => [
        letter.streamName,
        letter.shardId,
        letter.position.sequenceNumber,
        letter.position.subSequence,
        letter.reason,
        letter.detail.slice(0, 1024),
        letter.rawBase64,
        letter.rawBytes,
        new Date(letter.receivedAt),
      ]),
    ],
  );
}

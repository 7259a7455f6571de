import type { DeadLetter, InventoryEvent, PositionedEvent, StreamPosition } from '@stockwall/contracts';
import { buildDeadLetter } from './dead-letter';
import { DecoderOptions, DeadLetterReason, decodeEventRecord } from './event-decoder';
import { deaggregateRecord, HashKeyRange } from './kpl-deaggregator';

export type UnpackedItem =
  | { ok: true; position: StreamPosition; event: InventoryEvent }
  | { ok: false; position: StreamPosition; reason: DeadLetterReason; detail: string; data: Uint8Array };

export interface UnpackedRecord {
  items: UnpackedItem[];
  /** Position of the record's last user record, kept or not: where the checkpoint may advance to. */
  last: StreamPosition;
  /** User records of an aggregate unpacked (those not applied before). */
  userRecords: number;
  /** Of those, the ones whose hash key belongs to another shard's range (applied here all the same). */
  outsideRange: number;
}

export interface RecordInput {
  shardId: string;
  sequenceNumber: string;
  arrivalTime: number;
  data: Uint8Array;
}

/**
 * An aggregate with more rejected user records than this is dead-lettered whole (`kpl_malformed`):
 * it bounds the work and the dead letters one record can cause (a megabyte of one-byte user
 * records is 150,000 of them), far above what a producer of events ever sends.
 */
export const MAX_REJECTED_PER_AGGREGATE = 1000;

/**
 * One Kinesis record → its user records, decoded: a plain record is one event (sub-sequence 0);
 * a KPL aggregate is one event per user record, at (sequence, index), whatever its hash key: the
 * shard that carries an aggregate is the only one that reads it.
 * Records at or before `after` (re-delivered by an AT_SEQUENCE_NUMBER iterator) are skipped.
 */
export function unpackRecord(
  record: RecordInput,
  range: HashKeyRange | null,
  after: StreamPosition | null,
  options: DecoderOptions,
): UnpackedRecord {
  const { shardId, sequenceNumber, arrivalTime, data } = record;
  const at = (subSequence: number): StreamPosition => ({ sequenceNumber, subSequence });
  const isNew = (position: StreamPosition) => !after || isAfter(position, after);
  const deaggregated = deaggregateRecord(data, range);
  switch (deaggregated.kind) {
    case 'plain': {
      const position = at(0);
      if (!isNew(position)) return { items: [], last: position, userRecords: 0, outsideRange: 0 };
      const decoded = decodeEventRecord(data, { shardId, position, arrivalTime }, options);
      return {
        items: [decoded.ok ? { ok: true, position, event: decoded.event } : { ...decoded, position, data }],
        last: position,
        userRecords: 0,
        outsideRange: 0,
      };
    }
    case 'corrupt': {
      const position = at(0);
      const items: UnpackedItem[] = isNew(position)
        ? [{ ok: false, position, reason: deaggregated.reason, detail: deaggregated.detail, data }]
        : [];
      return { items, last: position, userRecords: 0, outsideRange: 0 };
    }
    case 'aggregated': {
      const fresh = deaggregated.records.filter((userRecord) => isNew(at(userRecord.subSequence)));
      const last = at(Math.max(0, deaggregated.records.length - 1));
      const userRecords = fresh.length;
      const outsideRange = fresh.filter((userRecord) => userRecord.outsideRange).length;
      const items: UnpackedItem[] = [];
      let rejected = 0;
      for (const userRecord of fresh) {
        const position = at(userRecord.subSequence);
        const decoded = decodeEventRecord(userRecord.data, { shardId, position, arrivalTime }, options);
        if (decoded.ok) {
          items.push({ ok: true, position, event: decoded.event });
          continue;
        }
        if (++rejected > MAX_REJECTED_PER_AGGREGATE) {
          // Not a producer's aggregate of events: one dead letter for all of it, not one per user record.
          const detail =
            `more than ${MAX_REJECTED_PER_AGGREGATE} of its ${deaggregated.records.length} user records are ` +
            `rejected; record ${userRecord.subSequence}: ${decoded.reason}: ${decoded.detail}`;
          const first = at(fresh[0].subSequence);
          return {
            items: [{ ok: false, position: first, reason: 'kpl_malformed', detail, data }],
            last,
            userRecords,
            outsideRange,
          };
        }
        items.push({ ...decoded, position, data: userRecord.data });
      }
      return { items, last, userRecords, outsideRange };
    }
  }
}

export interface RecordDecodeContext {
  streamName: string;
  /** The reading shard's hash key range (for the out-of-range count), null when unknown. */
  range: HashKeyRange | null;
  /** The checkpoint: user records at or before it were applied already. */
  after: StreamPosition | null;
  /** When the worker read the record (epoch ms): stamped on its dead letters. */
  receivedAt: number;
}

export interface DecodedRecord {
  events: PositionedEvent[];
  deadLetters: DeadLetter[];
  /** Position of the record's last user record: where the checkpoint may advance to. */
  last: StreamPosition;
  /** User records of a KPL aggregate decoded, and of those the ones outside the shard's range. */
  userRecords: number;
  outsideRange: number;
}

/**
 * The whole path from one Kinesis record to what the apply takes: its events, and its dead
 * letters as they are stored (redacted, cut). Never throws; its work is linear in the record's size.
 */
export function decodeRecord(
  record: RecordInput,
  context: RecordDecodeContext,
  options: DecoderOptions,
): DecodedRecord {
  const { shardId, arrivalTime } = record;
  const unpacked = unpackRecord(record, context.range, context.after, options);
  const events: PositionedEvent[] = [];
  const deadLetters: DeadLetter[] = [];
  for (const item of unpacked.items) {
    if (item.ok) events.push({ position: item.position, event: item.event });
    else {
      const recordContext = { shardId, position: item.position, arrivalTime };
      deadLetters.push(
        buildDeadLetter(context.streamName, item.data, recordContext, item.reason, item.detail, context.receivedAt),
      );
    }
  }
  return {
    events,
    deadLetters,
    last: unpacked.last,
    userRecords: unpacked.userRecords,
    outsideRange: unpacked.outsideRange,
  };
}

function isAfter(position: StreamPosition, after: StreamPosition): boolean {
  const a = BigInt(position.sequenceNumber);
  const b = BigInt(after.sequenceNumber);
  return a !== b ? a > b : position.subSequence > after.subSequence;
}

/**
 * Keeps the first of several events with one producer event_id inside a batch (a producer retry
 * that landed close to its original). Returns the kept events and the positions dropped.
 */
export function dropRepeatedEventIds<T extends { event: { eventId: string } }>(items: readonly T[]) {
  const seen = new Set<string>();
  const kept: T[] = [];
  const dropped: T[] = [];
  for (const item of items) {
    if (seen.has(item.event.eventId)) dropped.push(item);
    else {
      seen.add(item.event.eventId);
      kept.push(item);
    }
  }
  return { kept, dropped };
}

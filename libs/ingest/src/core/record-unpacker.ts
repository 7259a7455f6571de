import type { InventoryEvent, StreamPosition } from '@stockwall/contracts';
import { DecoderOptions, DeadLetterReason, decodeEventRecord } from './event-decoder';
import { deaggregateRecord, HashKeyRange } from './kpl-deaggregator';

export type UnpackedItem =
  | { ok: true; position: StreamPosition; event: InventoryEvent }
  | { ok: false; position: StreamPosition; reason: DeadLetterReason; detail: string; data: Uint8Array };

export interface UnpackedRecord {
  items: UnpackedItem[];
  /** Position of the record's last user record, kept or not: where the checkpoint may advance to. */
  last: StreamPosition;
  /** User records of an aggregate that belong to another shard's hash key range. */
  outsideRange: number;
}

export interface RecordInput {
  shardId: string;
  sequenceNumber: string;
  arrivalTime: number;
  data: Uint8Array;
}

/**
 * One Kinesis record → its user records, decoded: a plain record is one event (sub-sequence 0);
 * a KPL aggregate is one event per user record in the shard's range, at (sequence, index).
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
      if (!isNew(position)) return { items: [], last: position, outsideRange: 0 };
      const decoded = decodeEventRecord(data, { shardId, position, arrivalTime }, options);
      return {
        items: [decoded.ok ? { ok: true, position, event: decoded.event } : { ...decoded, position, data }],
        last: position,
        outsideRange: 0,
      };
    }
    case 'corrupt': {
      const position = at(0);
      const items: UnpackedItem[] = isNew(position)
        ? [{ ok: false, position, reason: deaggregated.reason, detail: deaggregated.detail, data }]
        : [];
      return { items, last: position, outsideRange: 0 };
    }
    case 'aggregated': {
      const items: UnpackedItem[] = [];
      for (const userRecord of deaggregated.records) {
        const position = at(userRecord.subSequence);
        if (!isNew(position)) continue;
        const decoded = decodeEventRecord(userRecord.data, { shardId, position, arrivalTime }, options);
        items.push(
          decoded.ok ? { ok: true, position, event: decoded.event } : { ...decoded, position, data: userRecord.data },
        );
      }
      return { items, last: at(Math.max(0, deaggregated.total - 1)), outsideRange: deaggregated.outsideRange };
    }
  }
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

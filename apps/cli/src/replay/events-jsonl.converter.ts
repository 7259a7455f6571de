import type { WireEvent } from '@stockwall/contracts';
import { DeadLetterReason, decodeEventRecord } from '@stockwall/ingest';
import { canonicalJson, RowIdentities } from './event-identity';
import type { RejectReason, RowConverter } from './replay-types';

const MAX_LINE_BYTES = 1_048_576;
/** No readable prefix narrows these ids, so their hash is longer (96 bits). */
const JSONL_HASH_DIGITS = 24;

/**
 * One wire event per line. Each line goes through the workers' own decoder, as if it arrived now,
 * so a line this rejects would have been dead-lettered for the same reason (including an event
 * time far ahead of now). A missing event_id is `jsonl-<hash>`: the hash of the event (keys in any
 * order) and its occurrence among identical lines of the file (see RowIdentities).
 */
export class EventsJsonlConverter implements RowConverter {
  private readonly identities = new RowIdentities();

  constructor(private readonly now: () => number = Date.now) {}

  convert(fields: string[], origin: { file: string; line: number }): WireEvent[] | RejectReason {
    const decoded = decodeEventRecord(
      Buffer.from(fields[0]),
      {
        shardId: 'replay',
        position: { sequenceNumber: String(origin.line), subSequence: 0 },
        arrivalTime: this.now(),
      },
      { maxEventBytes: MAX_LINE_BYTES },
    );
    if (!decoded.ok) return decoded.reason;
    const event = JSON.parse(fields[0]) as WireEvent;
    if (event.event_id) return [event];
    return [
      { ...event, event_id: `jsonl-${this.identities.next(origin.file, [canonicalJson(event)], JSONL_HASH_DIGITS)}` },
    ];
  }

  flush(): WireEvent[] {
    return [];
  }
}

export type { DeadLetterReason };

import type { WireEvent } from '@stockwall/contracts';
import { DeadLetterReason, decodeEventRecord } from '@stockwall/ingest';
import type { RejectReason, RowConverter } from './replay-types';

const MAX_LINE_BYTES = 1_048_576;

/**
 * One wire event per line. Each line goes through the workers' own decoder, as if it arrived now,
 * so a line this rejects would have been dead-lettered for the same reason (including an event
 * time far ahead of now); a missing event_id comes from the line.
 */
export class EventsJsonlConverter implements RowConverter {
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
    return [event.event_id ? event : { ...event, event_id: `jsonl-${origin.file}-${origin.line}` }];
  }

  flush(): WireEvent[] {
    return [];
  }
}

export type { DeadLetterReason };

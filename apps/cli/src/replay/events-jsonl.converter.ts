import { isWireEventType, WireEvent, wireEventSchemas } from '@stockwall/contracts';
import type { RejectReason, RowConverter } from './replay-types';

/** One wire event per line, validated against the wire schemas; a missing event_id comes from the line. */
export class EventsJsonlConverter implements RowConverter {
  convert(fields: string[], origin: { file: string; line: number }): WireEvent[] | RejectReason {
    let body: unknown;
    try {
      body = JSON.parse(fields[0]);
    } catch {
      return 'invalid_event';
    }
    const type = (body as { event_type?: unknown } | null)?.event_type;
    if (!isWireEventType(type) || !wireEventSchemas[type].safeParse(body).success) return 'invalid_event';
    const event = body as WireEvent;
    return [event.event_id ? event : { ...event, event_id: `jsonl-${origin.file}-${origin.line}` }];
  }

  flush(): WireEvent[] {
    return [];
  }
}

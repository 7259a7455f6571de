import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { WireEvent } from '@stockwall/contracts';
import { listReplayFiles, ReplayFormat } from '../replay/replay-source';
import { runReplay } from '../replay/replay-runner';

/** One real data set as the replay command reads it. */
export interface DatasetSource {
  name: string;
  path: string;
  format: ReplayFormat;
}

/** The real data the chaos run replays, in this order: a year of Online Retail, then the café branches. */
export function chaosDatasets(datasetsDir: string): DatasetSource[] {
  const sources: DatasetSource[] = [
    { name: 'online-retail', path: join(datasetsDir, 'online-retail', 'by-day'), format: 'online-retail' },
    { name: 'cafe-branches', path: join(datasetsDir, 'cafe', 'branches'), format: 'cafe' },
  ];
  const missing = sources.filter((source) => !existsSync(source.path));
  if (missing.length > 0) {
    throw new Error(
      `The chaos run replays real data and ${missing.map((source) => source.path).join(', ')} is missing: set DATASETS_DIR`,
    );
  }
  return sources;
}

/** The events of a replay, in the order the replay command sends them, with where they came from. */
export interface SourcedEvents {
  /** Events of each pass; pass 0 is the data as it is. */
  events: WireEvent[];
  /** How many events each data set gave per pass, for the report. */
  perDataset: Record<string, number>;
  /** Passes used (a pass over every data set gives about 140,000 events). */
  passes: number;
}

/**
 * Converts the data sets with the replay converters (the same rows → events as `npm run cli -- replay`),
 * then takes the first `count` events of: pass 0 (the data as it is), pass 1 (the same data at a second
 * set of stock locations, `<location>-2`, with its own event and order ids), and so on. Event times are
 * moved so that each data set and pass follows the previous one by a minute and the last event taken
 * happens at `endAt`: windows then hold the replay's last hours, and no event lies ahead of the clock.
 */
export async function loadChaosEvents(sources: DatasetSource[], count: number, endAt: number): Promise<SourcedEvents> {
  const converted: { name: string; events: WireEvent[] }[] = [];
  for (const source of sources) {
    const events: WireEvent[] = [];
    await runReplay({
      files: listReplayFiles(source.path, source.format),
      format: source.format,
      publish: async (chunk) => void events.push(...chunk),
    });
    converted.push({ name: source.name, events });
  }
  const onePass = converted.reduce((sum, part) => sum + part.events.length, 0);
  if (onePass === 0) throw new Error('The data sets gave no events');

  const segments: { name: string; events: WireEvent[] }[] = [];
  let taken = 0;
  let passes = 0;
  for (let pass = 0; taken < count; pass++) {
    passes = pass + 1;
    for (const part of converted) {
      if (taken >= count) break;
      const events = part.events.slice(0, count - taken).map((event) => (pass === 0 ? event : relocated(event, pass)));
      segments.push({ name: pass === 0 ? part.name : `${part.name}#${pass + 1}`, events });
      taken += events.length;
    }
  }

  // Each segment starts a minute after the previous one ends; then the whole run is moved to end at endAt.
  const shifts: number[] = [];
  let previousEnd: number | null = null;
  for (const segment of segments) {
    const [first, last] = timeSpan(segment.events);
    const shift: number = previousEnd === null ? 0 : previousEnd + 60_000 - first;
    shifts.push(shift);
    previousEnd = last + shift;
  }
  const finalShift = endAt - (previousEnd ?? endAt);
  const events: WireEvent[] = [];
  const perDataset: Record<string, number> = {};
  segments.forEach((segment, index) => {
    const shift = shifts[index] + finalShift;
    for (const event of segment.events) events.push(retimed(event, shift));
    perDataset[segment.name] = segment.events.length;
  });
  return { events, perDataset, passes };
}

/** The event time the pipeline uses: `occurred_at`, else the product's timestamp. */
export function eventTimeOf(event: WireEvent): number {
  const text = event.occurred_at ?? ('product' in event ? event.product.timestamp : undefined);
  const time = text === undefined ? Number.NaN : Date.parse(text);
  if (Number.isNaN(time)) throw new Error(`event ${event.event_id ?? '?'} has no event time`);
  return time;
}

function timeSpan(events: WireEvent[]): [number, number] {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const event of events) {
    const time = eventTimeOf(event);
    if (time < first) first = time;
    if (time > last) last = time;
  }
  return [first, last];
}

function retimed(event: WireEvent, shift: number): WireEvent {
  if (shift === 0) return event;
  const move = (iso: string) => new Date(Date.parse(iso) + shift).toISOString();
  const copy = { ...event };
  if (copy.occurred_at) copy.occurred_at = move(copy.occurred_at);
  if ('product' in copy) copy.product = { ...copy.product, timestamp: move(copy.product.timestamp) };
  return copy;
}

/** The same event at the pass's own locations, with its own ids. */
function relocated(event: WireEvent, pass: number): WireEvent {
  const suffix = `-${pass + 1}`;
  const copy = { ...event, location: `${event.location ?? 'main'}${suffix}` } as WireEvent;
  if (event.event_id) copy.event_id = `p${pass + 1}-${event.event_id}`;
  if ('order_id' in copy) copy.order_id = `p${pass + 1}-${copy.order_id}`;
  return copy;
}

import { statSync } from 'node:fs';
import type { WireEvent } from '@stockwall/contracts';
import { CafeConverter } from './cafe.converter';
import { EventsJsonlConverter } from './events-jsonl.converter';
import { OnlineRetailConverter } from './online-retail.converter';
import { cafeTimeKey, isUnreadable, readRows, ReplayFormat, SourceRow, UnreadableRow } from './replay-source';
import { DEFAULT_REPLAY_OPTIONS, KnownProduct, RejectReason, ReplayOptions, RowConverter } from './replay-types';

export interface ReplaySummary {
  files: number;
  rowsRead: number;
  eventsSent: number;
  /** Events not sent because an earlier import stored them (see ReplayRun.alreadyImported). */
  alreadyImported: number;
  /** Events not sent because an earlier row of this replay had the same id (identical rows of two files). */
  repeated: number;
  rejected: Partial<Record<RejectReason, number>>;
  /** Records the CSV parser could not read (also counted as rejected `unreadable`); the first 100. */
  unreadable: UnreadableRow[];
  elapsedMs: number;
}

/** Unreadable records listed in the summary (all are counted). */
const UNREADABLE_LISTED = 100;

export interface ReplayProgress {
  rowsRead: number;
  eventsSent: number;
  /** Share of the input read, 0 to 1 (by bytes). */
  done: number;
}

export interface ReplayRun {
  files: string[];
  format: ReplayFormat;
  publish: (events: WireEvent[]) => Promise<void>;
  options?: Partial<ReplayOptions>;
  /** Events per second; undefined: as fast as the stream takes them. */
  rate?: number;
  /** Shift event times so the last event happens now (when the replay starts). */
  retime?: boolean;
  onProgress?: (progress: ReplayProgress) => void;
  now?: () => number;
  /** SKUs the live state already holds: not added again (see RowConverter.markDefined). */
  knownProducts?: Iterable<KnownProduct>;
  /**
   * Which of these event ids an earlier import already stored: those are not sent. Called with at
   * most CHECK_CHUNK ids at a time, before any of them is sent.
   */
  alreadyImported?: (eventIds: string[]) => Promise<ReadonlySet<string>>;
}

/** Events per publish call. */
const CHUNK = 500;
/** Event ids per alreadyImported call. */
export const CHECK_CHUNK = 5_000;

export function createConverter(format: ReplayFormat, options: ReplayOptions): RowConverter {
  switch (format) {
    case 'online-retail':
      return new OnlineRetailConverter(options);
    case 'cafe':
      return new CafeConverter(options);
    case 'events-jsonl':
      return new EventsJsonlConverter();
  }
}

/** Reads the files, converts rows to events and publishes them in order, paced by `rate`. */
export async function runReplay(run: ReplayRun): Promise<ReplaySummary> {
  const now = run.now ?? Date.now;
  const started = now();
  const options = { ...DEFAULT_REPLAY_OPTIONS, ...run.options };
  const converter = createConverter(run.format, options);
  for (const { sku, location } of run.knownProducts ?? []) converter.markDefined?.(sku, location);
  const summary: ReplaySummary = {
    files: run.files.length,
    rowsRead: 0,
    eventsSent: 0,
    alreadyImported: 0,
    repeated: 0,
    rejected: {},
    unreadable: [],
    elapsedMs: 0,
  };
  /** Converted, not yet checked against earlier imports. */
  const unchecked: WireEvent[] = [];
  /** Checked, to be sent. */
  const ready: WireEvent[] = [];
  const idsOfThisReplay = new Set<string>();
  let shift = 0;

  const check = async () => {
    const fresh = unchecked.splice(0, CHECK_CHUNK).filter((event) => {
      const id = event.event_id ?? '';
      if (idsOfThisReplay.has(id)) {
        summary.repeated++;
        return false;
      }
      idsOfThisReplay.add(id);
      return true;
    });
    const known = run.alreadyImported ? await run.alreadyImported(fresh.map((event) => event.event_id ?? '')) : null;
    for (const event of fresh) {
      if (known?.has(event.event_id ?? '')) summary.alreadyImported++;
      else ready.push(event);
    }
  };
  const send = async (force: boolean, done: number) => {
    while (unchecked.length >= CHECK_CHUNK || (force && unchecked.length > 0)) await check();
    while (ready.length >= CHUNK || (force && ready.length > 0)) {
      const chunk = ready.splice(0, CHUNK);
      if (run.rate !== undefined) {
        // Pace: the chunk may go once the elapsed time allows that many events at the rate.
        const due = started + ((summary.eventsSent + chunk.length) / run.rate) * 1000;
        const wait = due - now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      await run.publish(chunk);
      summary.eventsSent += chunk.length;
      run.onProgress?.({ rowsRead: summary.rowsRead, eventsSent: summary.eventsSent, done });
    }
  };
  const accept = (events: WireEvent[]) => {
    for (const event of events) unchecked.push(shift === 0 ? event : retimed(event, shift));
  };
  const feed = async (row: SourceRow | UnreadableRow, done: number) => {
    summary.rowsRead++;
    if (isUnreadable(row)) {
      summary.rejected.unreadable = (summary.rejected.unreadable ?? 0) + 1;
      if (summary.unreadable.length < UNREADABLE_LISTED) summary.unreadable.push(row);
    } else {
      const result = converter.convert(row.fields, { file: row.file, line: row.line });
      if (typeof result === 'string') {
        if (result !== 'header') summary.rejected[result] = (summary.rejected[result] ?? 0) + 1;
      } else {
        accept(result);
      }
    }
    if (unchecked.length >= CHECK_CHUNK) await send(false, done);
  };

  if (run.retime) {
    // The data ends now: no event lies ahead of the wall clock, where workers would dead-letter it
    // (more than a day ahead) or its window buckets would never expire.
    const latest = await latestEventTime(run, createConverter(run.format, options));
    shift = latest === null ? 0 : started - latest;
  }
  for await (const { row, done } of sourceRows(run.files, run.format)) await feed(row, done);
  accept(converter.flush());
  await send(true, 1);
  summary.elapsedMs = now() - started;
  run.onProgress?.({ rowsRead: summary.rowsRead, eventsSent: summary.eventsSent, done: 1 });
  return summary;
}

/**
 * The source's rows in replay order, each with the share of the input done: file by file as they
 * are read, or, for café branch-day files, all rows merged into one time-ordered sequence (stable on
 * file and line), since replayed file by file time would jump back at every file.
 */
async function* sourceRows(
  files: string[],
  format: ReplayFormat,
): AsyncGenerator<{ row: SourceRow | UnreadableRow; done: number }> {
  if (format === 'cafe') {
    const rows: (SourceRow | UnreadableRow)[] = [];
    for (const file of files) for await (const row of readRows(file, format)) rows.push(row);
    const keyed = rows.map((row, order) => ({ row, order, key: isUnreadable(row) ? '' : cafeTimeKey(row.fields) }));
    keyed.sort((left, right) => (left.key < right.key ? -1 : left.key > right.key ? 1 : left.order - right.order));
    for (const [index, { row }] of keyed.entries()) yield { row, done: (index + 1) / keyed.length };
    return;
  }
  const sizes = files.map((file) => statSync(file).size);
  const totalBytes = sizes.reduce((sum, size) => sum + size, 0) || 1;
  let bytesDone = 0;
  for (const [fileIndex, file] of files.entries()) {
    const progress = { bytesRead: 0 };
    for await (const row of readRows(file, format, progress)) {
      yield { row, done: (bytesDone + Math.min(progress.bytesRead, sizes[fileIndex])) / totalBytes };
    }
    bytesDone += sizes[fileIndex];
  }
}

/** The latest event time of a replay (epoch ms), from a dry run of the conversion; null: no event. */
async function latestEventTime(run: ReplayRun, converter: RowConverter): Promise<number | null> {
  for (const { sku, location } of run.knownProducts ?? []) converter.markDefined?.(sku, location);
  let latest: number | null = null;
  const see = (events: WireEvent[]) => {
    for (const event of events) {
      const time = Date.parse(eventTime(event) ?? '');
      if (!Number.isNaN(time) && (latest === null || time > latest)) latest = time;
    }
  };
  for await (const { row } of sourceRows(run.files, run.format)) {
    if (isUnreadable(row)) continue;
    const result = converter.convert(row.fields, { file: row.file, line: row.line });
    if (typeof result !== 'string') see(result);
  }
  see(converter.flush());
  return latest;
}

function eventTime(event: WireEvent): string | undefined {
  return event.occurred_at ?? ('product' in event ? event.product.timestamp : undefined);
}

function retimed(event: WireEvent, shift: number): WireEvent {
  const move = (iso: string) => new Date(Date.parse(iso) + shift).toISOString();
  const copy = { ...event };
  if (copy.occurred_at) copy.occurred_at = move(copy.occurred_at);
  if ('product' in copy) copy.product = { ...copy.product, timestamp: move(copy.product.timestamp) };
  return copy;
}

import { statSync } from 'node:fs';
import type { WireEvent } from '@stockwall/contracts';
import { CafeConverter } from './cafe.converter';
import { EventsJsonlConverter } from './events-jsonl.converter';
import { OnlineRetailConverter } from './online-retail.converter';
import { cafeTimeKey, readRows, ReplayFormat, SourceRow } from './replay-source';
import { DEFAULT_REPLAY_OPTIONS, RejectReason, ReplayOptions, RowConverter } from './replay-types';

export interface ReplaySummary {
  files: number;
  rowsRead: number;
  eventsSent: number;
  rejected: Partial<Record<RejectReason, number>>;
  elapsedMs: number;
}

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
  /** Shift event times so the first event happens now. */
  retime?: boolean;
  onProgress?: (progress: ReplayProgress) => void;
  now?: () => number;
}

const CHUNK = 500;

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
  const converter = createConverter(run.format, { ...DEFAULT_REPLAY_OPTIONS, ...run.options });
  const summary: ReplaySummary = { files: run.files.length, rowsRead: 0, eventsSent: 0, rejected: {}, elapsedMs: 0 };
  const sizes = run.files.map((file) => statSync(file).size);
  const totalBytes = sizes.reduce((sum, size) => sum + size, 0) || 1;
  let bytesDone = 0;
  const pending: WireEvent[] = [];
  let shift: number | null = run.retime ? null : 0;

  const send = async (force: boolean) => {
    while (pending.length >= CHUNK || (force && pending.length > 0)) {
      const chunk = pending.splice(0, CHUNK);
      if (run.rate !== undefined) {
        // Pace: the chunk may go once the elapsed time allows that many events at the rate.
        const due = started + ((summary.eventsSent + chunk.length) / run.rate) * 1000;
        const wait = due - now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      await run.publish(chunk);
      summary.eventsSent += chunk.length;
    }
  };
  const accept = (events: WireEvent[]) => {
    for (const event of events) {
      if (shift === null) shift = now() - Date.parse(eventTime(event) ?? new Date(now()).toISOString());
      pending.push(shift === 0 ? event : retimed(event, shift));
    }
  };
  const feed = async (rows: SourceRow[], fraction: (index: number) => number) => {
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index];
      summary.rowsRead++;
      const result = converter.convert(row.fields, { file: row.file, line: row.line });
      if (typeof result === 'string') {
        if (result !== 'header') summary.rejected[result] = (summary.rejected[result] ?? 0) + 1;
      } else {
        accept(result);
      }
      if (pending.length >= CHUNK) {
        await send(false);
        run.onProgress?.({ rowsRead: summary.rowsRead, eventsSent: summary.eventsSent, done: fraction(index) });
      }
    }
  };

  if (run.format === 'cafe') {
    // Branch-day files are merged into one time-ordered sequence (stable on file and line).
    const rows = run.files.flatMap((file) => readRows(file, run.format));
    const keyed = rows.map((row, order) => ({ row, order, key: cafeTimeKey(row.fields) }));
    keyed.sort((left, right) => (left.key < right.key ? -1 : left.key > right.key ? 1 : left.order - right.order));
    await feed(
      keyed.map((entry) => entry.row),
      (index) => (index + 1) / keyed.length,
    );
  } else {
    for (let fileIndex = 0; fileIndex < run.files.length; fileIndex++) {
      const rows = readRows(run.files[fileIndex], run.format);
      const base = bytesDone;
      await feed(rows, (index) => (base + (sizes[fileIndex] * (index + 1)) / rows.length) / totalBytes);
      bytesDone += sizes[fileIndex];
    }
  }
  accept(converter.flush());
  await send(true);
  summary.elapsedMs = now() - started;
  run.onProgress?.({ rowsRead: summary.rowsRead, eventsSent: summary.eventsSent, done: 1 });
  return summary;
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

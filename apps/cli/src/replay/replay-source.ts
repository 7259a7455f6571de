import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { CsvRecord, parseCsv } from './csv-records';

export const REPLAY_FORMATS = ['online-retail', 'cafe', 'events-jsonl'] as const;
export type ReplayFormat = (typeof REPLAY_FORMATS)[number];

export interface SourceRow {
  /** The file's path: tells files apart within a replay (identical rows are counted per file); never in an id. */
  file: string;
  line: number;
  fields: string[];
}

/** The files a path names: the file itself, or every data file under a directory, in path order. */
export function listReplayFiles(path: string, format: ReplayFormat): string[] {
  const extension = format === 'events-jsonl' ? ['.jsonl', '.ndjson', '.json'] : ['.csv'];
  const walk = (current: string): string[] =>
    statSync(current).isDirectory()
      ? readdirSync(current)
          .sort()
          .flatMap((name) => walk(join(current, name)))
      : extension.includes(extname(current).toLowerCase())
        ? [current]
        : [];
  return statSync(path).isDirectory() ? walk(path) : [path];
}

/** A file's rows, each with the file's path and its line. */
export function readRows(path: string, format: ReplayFormat): SourceRow[] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const file = resolve(path);
  if (format === 'events-jsonl') {
    return text
      .split(/\r?\n/)
      .flatMap((line, index) => (line.trim() ? [{ file, line: index + 1, fields: [line] }] : []));
  }
  return parseCsv(text).map((record: CsvRecord) => ({ file, line: record.line, fields: record.fields }));
}

/**
 * Café branch files are one branch-day each; replayed file by file, time would jump back at every
 * file and most sales would be late. Their rows are merged into time order (stable).
 */
export function cafeTimeKey(fields: string[]): string {
  const match = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(fields[0]?.trim() ?? '');
  return match ? `${match[3]}${match[2]}${match[1]}${match[4]}${match[5]}` : '';
}

import { createReadStream, readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { CsvProblem, readCsvFile } from './csv-records';

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

/** A part of a file that could not be read as rows, where it starts and why. */
export interface UnreadableRow extends CsvProblem {
  file: string;
}

export const isUnreadable = (row: SourceRow | UnreadableRow): row is UnreadableRow => 'problem' in row;

/** A file's rows as they are read (streamed), each with the file's path and its line. */
export async function* readRows(
  path: string,
  format: ReplayFormat,
  progress?: { bytesRead: number },
): AsyncGenerator<SourceRow | UnreadableRow> {
  const file = resolve(path);
  if (format === 'events-jsonl') {
    let line = 0;
    const input = createReadStream(path);
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      line++;
      if (progress) progress.bytesRead = input.bytesRead;
      const content = line === 1 ? text.replace(/^\uFEFF/, '') : text;
      if (content.trim()) yield { file, line, fields: [content] };
    }
    return;
  }
  for await (const record of readCsvFile(path, { progress })) yield { file, ...record };
}

/**
 * Café branch files are one branch-day each; replayed file by file, time would jump back at every
 * file and most sales would be late. Their rows are merged into time order (stable).
 */
export function cafeTimeKey(fields: string[]): string {
  const match = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(fields[0]?.trim() ?? '');
  return match ? `${match[3]}${match[2]}${match[1]}${match[4]}${match[5]}` : '';
}

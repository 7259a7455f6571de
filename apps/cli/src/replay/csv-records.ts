import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { parse, type Options } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';

/** One CSV record and the 1-based line it starts on (the line is part of each event's identity). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A record that could not be read: where it starts and why. The records after it are still read. */
export interface CsvProblem {
  line: number;
  problem: string;
}

/** A record longer than this is refused (an unclosed quote would otherwise run to the end of the file). */
export const MAX_RECORD_BYTES = 1 << 20;
/** Unreadable records per file after which the rest of the file is refused too (each costs a re-read). */
export const MAX_PROBLEMS_PER_FILE = 20;

/**
 * RFC 4180 as the data sets write it: quoted fields, doubled quotes, commas and line breaks inside
 * quotes, CRLF or LF (both in one file too), rows of any width. Empty lines come through as one
 * empty field, so every physical line is counted; they are dropped after counting.
 */
const OPTIONS: Options = {
  bom: true,
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: false,
  record_delimiter: ['\r\n', '\n', '\r'],
  max_record_size: MAX_RECORD_BYTES,
};

/** Line breaks inside a record's fields: the lines it spans beyond its first. */
function breaksIn(fields: string[]): number {
  let breaks = 0;
  for (const field of fields) {
    for (let index = 0; index < field.length; index++) {
      const code = field.charCodeAt(index);
      if (code === 10) breaks++;
      else if (code === 13) {
        breaks++;
        if (field.charCodeAt(index + 1) === 10) index++;
      }
    }
  }
  return breaks;
}

const isEmptyLine = (fields: string[]) => fields.length === 1 && fields[0] === '';

/** CSV text that cannot be read as records, with the line the unreadable record starts on. */
export class CsvReadError extends Error {
  constructor(
    readonly line: number,
    problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = 'CsvReadError';
  }
}

/** Parses CSV text held in memory; throws a CsvReadError at the first record it cannot read. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  try {
    parseSync(text, {
      ...OPTIONS,
      on_record: (fields: string[]) => {
        if (!isEmptyLine(fields)) records.push({ line, fields });
        line += breaksIn(fields) + 1;
        return null; // kept here, with its line, rather than in the parser's result
      },
    });
  } catch (error) {
    if (isCsvError(error)) throw new CsvReadError(line, describe(error));
    throw error;
  }
  return records;
}

export interface CsvFileReading {
  /** Set to the bytes read so far before each record is handed out. */
  progress?: { bytesRead: number };
  maxRecordBytes?: number;
  maxProblems?: number;
}

/**
 * Streams a CSV file's records with their starting lines. A record that cannot be read (a quote
 * never closed, a record over MAX_RECORD_BYTES) is answered as a CsvProblem at its line, and
 * reading goes on from the line after it (the file is read again from its start, so after
 * MAX_PROBLEMS_PER_FILE problems the rest of the file is one last problem: the work stays within
 * that many passes). Memory stays bounded by one record.
 */
export async function* readCsvFile(
  path: string,
  { progress, maxRecordBytes = MAX_RECORD_BYTES, maxProblems = MAX_PROBLEMS_PER_FILE }: CsvFileReading = {},
): AsyncGenerator<CsvRecord | CsvProblem> {
  let skipLines = 0;
  for (let problems = 1; ; problems++) {
    // Numbered as the parser reads them: when it fails, the records it read before the failure
    // (some never reach the iterator) are still handed out, and `line` is where the bad one starts.
    const parsed: CsvRecord[] = [];
    let line = skipLines + 1;
    const file = createReadStream(path);
    const parser = file.pipe(new LineSkipper(skipLines)).pipe(
      parse({
        ...OPTIONS,
        max_record_size: maxRecordBytes,
        on_record: (fields: string[]) => {
          if (!isEmptyLine(fields)) parsed.push({ line, fields });
          line += breaksIn(fields) + 1;
          return isEmptyLine(fields) ? null : fields;
        },
      }),
    );
    try {
      for await (const fields of parser as AsyncIterable<string[]>) {
        if (progress) progress.bytesRead = file.bytesRead;
        // The parser hands its records out in the order on_record numbered them.
        yield parsed.shift() ?? { line, fields };
      }
      return;
    } catch (error) {
      if (!isCsvError(error)) throw error;
      file.destroy();
      parser.destroy();
      yield* parsed.splice(0);
      if (problems >= maxProblems) {
        yield {
          line,
          problem: `${describe(error, maxRecordBytes)}; ${maxProblems} unreadable records: the rest of the file is not read`,
        };
        return;
      }
      yield { line, problem: describe(error, maxRecordBytes) };
      // The record starting at `line` is refused; the next one is looked for on the line after it.
      skipLines = line;
    }
  }
}

/** csv-parse's errors (its sync and stream builds each have their own class). */
function isCsvError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('CSV_');
}

function describe(error: Error & { code: string }, maxRecordBytes = MAX_RECORD_BYTES): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed';
    case 'CSV_MAX_RECORD_SIZE':
      return `the record is longer than ${maxRecordBytes} bytes (a quoted field never closed?)`;
    default:
      return error.message.replace(/ at line \d+.*$/s, '');
  }
}

/** Drops the first `count` physical lines (CRLF, LF or CR each end one) of a byte stream. */
export class LineSkipper extends Transform {
  private previousWasCr = false;

  constructor(private remaining: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let index = 0;
    // A CR that ended the previous chunk: an LF right after it belongs to the same line break.
    if (this.previousWasCr) {
      this.previousWasCr = false;
      if (chunk[0] === 10) index = 1;
    }
    for (; index < chunk.length && this.remaining > 0; index++) {
      const byte = chunk[index];
      if (byte === 10) {
        this.remaining--;
      } else if (byte === 13) {
        this.remaining--;
        if (index + 1 === chunk.length) this.previousWasCr = true;
        else if (chunk[index + 1] === 10) index++;
      }
    }
    callback(null, index < chunk.length ? chunk.subarray(index) : undefined);
  }
}

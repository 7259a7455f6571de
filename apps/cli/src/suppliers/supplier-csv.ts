import { hasControlCharacters, LIMITS } from '@stockwall/contracts';
import { CsvRecord, parseCsv } from '../replay/csv-records';
import type { LeadTimeSample, LeadTimeSamples, RejectedRow } from './lead-time-estimator';

/** The CSV's header (first record) and its data records; a leading byte-order mark is ignored. */
export function readCsvTable(text: string): { header: string[]; records: CsvRecord[] } {
  const [header, ...records] = parseCsv(text.replace(/^\uFEFF/, ''));
  return { header: header ? header.fields.map((field) => field.trim()) : [], records };
}

/** A supplier id as the wire accepts `supplier_id`: trimmed, 1-128 characters, no control characters. */
export function supplierIdOf(value: string | undefined): string | null {
  const id = (value ?? '').trim();
  return id.length > 0 && id.length <= LIMITS.maxIdLength && !hasControlCharacters(id) ? id : null;
}

/** Column positions by header name; throws naming the first missing column. */
export function columnsOf<TName extends string>(
  header: readonly string[],
  names: readonly TName[],
): Record<TName, number> {
  const columns = {} as Record<TName, number>;
  for (const name of names) {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`the header has no "${name}" column`);
    columns[name] = index;
  }
  return columns;
}

/**
 * Reads a supplier CSV and turns each data row into a lead-time sample with `sampleOf`, which
 * gets the row's field by column name and answers a sample or the reason the row is refused.
 * Rows whose field count differs from the header's are refused here. Throws on a missing column.
 */
export function collectSamples<TName extends string>(
  text: string,
  names: readonly TName[],
  sampleOf: (field: (name: TName) => string) => LeadTimeSample | string,
): LeadTimeSamples {
  const { header, records } = readCsvTable(text);
  const columns = columnsOf(header, names);
  const samples: LeadTimeSample[] = [];
  const rejected: RejectedRow[] = [];
  for (const record of records) {
    const outcome =
      record.fields.length === header.length
        ? sampleOf((name) => record.fields[columns[name]])
        : `${record.fields.length} fields, the header has ${header.length}`;
    if (typeof outcome === 'string') rejected.push({ line: record.line, reason: outcome });
    else samples.push(outcome);
  }
  return { samples, rows: records.length, rejected };
}

import { STOCK_INDEX_SEPARATOR, StockRow } from '@stockwall/contracts';
import { StockState, toStockRow } from '../core/stock-state';

/**
 * A stock hash in Redis and a row in a change notice hold the same fields in the same order:
 * sku, location, on hand, committed, unit cost, unit price, reorder point, active, name, last event.
 * Empty strings stand for unknown values.
 */
export const STOCK_HASH_FIELDS = ['on', 'cm', 'uc', 'up', 'rp', 'ac', 'nm', 'le'] as const;

/**
 * The reorder point the atomic apply computes from demand and lead time (absent until there is
 * enough history). It is kept in the stock hash beside the fields above; snapshot rows and change
 * notice rows carry it after them, so every reader gets it in the same atomic read.
 */
export const COMPUTED_REORDER_POINT_FIELD = 'rc';

export type StockNoticeRow = [string, string, ...string[]];

export function parseComputedReorderPoint(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const point = Number(value);
  return Number.isFinite(point) ? point : null;
}

export function parseStockFields(fields: readonly (string | null)[]): StockState | null {
  if (fields[0] === null || fields[0] === undefined) return null;
  const optional = (value: string | null | undefined) =>
    value === null || value === undefined || value === '' ? null : Number(value);
  return {
    onHand: Number(fields[0]),
    committed: Number(fields[1] ?? 0),
    unitCostCents: optional(fields[2]),
    unitPriceCents: optional(fields[3]),
    reorderPoint: optional(fields[4]),
    active: fields[5] !== '0',
    name: fields[6] ? fields[6] : null,
    lastEventAt: optional(fields[7]) || null,
  };
}

export interface ParsedStockRow {
  sku: string;
  location: string;
  state: StockState;
  computedReorderPoint: number | null;
}

/** A notice row: sku, location, the stock fields, then the computed reorder point. */
export function parseNoticeRow(row: StockNoticeRow): ParsedStockRow | null {
  const [sku, location, ...fields] = row;
  const state = parseStockFields(fields);
  return state
    ? { sku, location, state, computedReorderPoint: parseComputedReorderPoint(fields[STOCK_HASH_FIELDS.length]) }
    : null;
}

/** The fields a snapshot read takes per row: the stock fields, then the computed reorder point. */
export const SNAPSHOT_ROW_FIELDS = [...STOCK_HASH_FIELDS, COMPUTED_REORDER_POINT_FIELD] as const;

/** The row of a stock index member (`sku<TAB>location`) from its hash values; null where the hash is gone. */
export function stockRowOfMember(member: string, values: readonly (string | null)[]): StockRow | null {
  const state = parseStockFields(values);
  if (!state) return null;
  const [sku, location] = member.split(STOCK_INDEX_SEPARATOR);
  return toStockRow(sku, location, state, parseComputedReorderPoint(values[STOCK_HASH_FIELDS.length]));
}

/**
 * The rows of a snapshot read: `fields` holds the SNAPSHOT_ROW_FIELDS values of each member in
 * turn. Members whose hash is gone are left out.
 */
export function snapshotRows(
  members: readonly string[],
  fields: readonly (string | null)[],
): { member: string; row: StockRow }[] {
  const width = SNAPSHOT_ROW_FIELDS.length;
  return members.flatMap((member, index) => {
    const row = stockRowOfMember(member, fields.slice(index * width, (index + 1) * width));
    return row ? [{ member, row }] : [];
  });
}

/** The row a change notice carries, as readers see it. */
export function stockRowOfNotice(row: ParsedStockRow): StockRow {
  return toStockRow(row.sku, row.location, row.state, row.computedReorderPoint);
}

/** A change notice as the apply adds it to the changes stream: its version, watermark, rows and alerts. */
export interface ChangeNoticeEntry {
  version: number;
  watermark: number | null;
  /** The rows whose stock hash was there when the batch applied. */
  rows: ParsedStockRow[];
  /** The alerts the batch raised, as the apply encodes them (see alert-codec.ts). */
  encodedAlerts: string | undefined;
}

/** Reads a change notice from its stream entry's flat [field, value, ...] list. */
export function parseChangeNoticeEntry(fields: readonly string[]): ChangeNoticeEntry {
  const values = new Map<string, string>();
  for (let index = 0; index < fields.length; index += 2) values.set(fields[index], fields[index + 1]);
  const noticeRows = JSON.parse(values.get('rows') ?? '[]') as StockNoticeRow[];
  return {
    version: Number(values.get('v')),
    watermark: Number(values.get('w')) || null,
    rows: noticeRows.flatMap((noticeRow) => parseNoticeRow(noticeRow) ?? []),
    encodedAlerts: values.get('alerts'),
  };
}

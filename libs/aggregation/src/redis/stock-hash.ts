import type { StockState } from '../core/stock-state';

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

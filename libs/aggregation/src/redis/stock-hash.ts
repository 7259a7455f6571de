import type { StockState } from '../core/stock-state';

/**
 * A stock hash in Redis and a row in a change notice hold the same fields in the same order:
 * sku, location, on hand, committed, unit cost, unit price, reorder point, active, name, last event.
 * Empty strings stand for unknown values.
 */
export const STOCK_HASH_FIELDS = ['on', 'cm', 'uc', 'up', 'rp', 'ac', 'nm', 'le'] as const;

/**
 * The reorder point the atomic apply computes from demand and lead time (absent until there is
 * enough history). It is kept in the stock hash but is not one of the fields above, so readers
 * that hold only those (snapshot script, change notices) read it beside them.
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

export function parseNoticeRow(row: StockNoticeRow): { sku: string; location: string; state: StockState } | null {
  const [sku, location, ...fields] = row;
  const state = parseStockFields(fields);
  return state ? { sku, location, state } : null;
}

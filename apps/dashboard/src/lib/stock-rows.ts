import type { StockRow } from '@stockwall/contracts';

/** A stock row as the wall holds it: the wire row plus its map key and when it last visibly changed. */
export interface LiveStockRow extends StockRow {
  readonly key: string;
  /** Epoch ms of the last visible change; 0 for rows that arrived with the first snapshot. */
  readonly changedAt: number;
}

export interface StockTotals {
  /** Distinct SKUs across all locations. */
  skus: number;
  /** SKU/location lines. */
  lines: number;
  locations: number;
  unitsOnHand: number;
  belowReorderPoint: number;
  /** Active lines with nothing available; discontinued lines are not out of stock (as the server counts). */
  outOfStock: number;
}

/**
 * How the wall draws a row. A discontinued (inactive) SKU is neither out of stock nor low: the
 * server counts only active SKUs in its stockout figures and raises no alerts for inactive ones.
 */
export type StockLevel = 'discontinued' | 'out' | 'low' | 'ok';

export function stockLevel(row: Pick<StockRow, 'active' | 'available' | 'belowReorderPoint'>): StockLevel {
  if (!row.active) return 'discontinued';
  if (row.available <= 0) return 'out';
  return row.belowReorderPoint ? 'low' : 'ok';
}

/** Rows are upserts keyed by SKU and location; NUL cannot appear in either. */
export function rowKey(row: Pick<StockRow, 'sku' | 'location'>): string {
  return `${row.sku}\u0000${row.location}`;
}

/** SKU, then location, by code unit: the same order everywhere, whatever the browser locale. */
export function compareRows(a: Pick<StockRow, 'sku' | 'location'>, b: Pick<StockRow, 'sku' | 'location'>): number {
  if (a.sku !== b.sku) return a.sku < b.sku ? -1 : 1;
  if (a.location !== b.location) return a.location < b.location ? -1 : 1;
  return 0;
}

/** Whether anything the wall shows differs between two versions of a row. */
export function visiblyDiffers(a: StockRow, b: StockRow): boolean {
  return (
    a.onHand !== b.onHand ||
    a.committed !== b.committed ||
    a.available !== b.available ||
    a.reorderPoint !== b.reorderPoint ||
    a.reorderPointSource !== b.reorderPointSource ||
    a.belowReorderPoint !== b.belowReorderPoint ||
    a.name !== b.name ||
    a.active !== b.active
  );
}

function differs(a: StockRow, b: StockRow): boolean {
  return (
    visiblyDiffers(a, b) ||
    a.unitCost !== b.unitCost ||
    a.stockValue !== b.stockValue ||
    a.lastEventAt !== b.lastEventAt
  );
}

function toLive(row: StockRow, key: string, previous: LiveStockRow | undefined, now: number, flashNew: boolean) {
  const changedAt = previous ? (visiblyDiffers(previous, row) ? now : previous.changedAt) : flashNew ? now : 0;
  return { ...row, key, changedAt };
}

/**
 * Upserts delta rows into `held`, in place. Unchanged rows keep their object identity, so a keyed
 * each block re-renders only what changed; visibly changed rows get a fresh `changedAt`.
 */
export function upsertRows(
  held: Map<string, LiveStockRow>,
  incoming: readonly StockRow[],
  now: number,
): { changed: number; added: number } {
  let changed = 0;
  let added = 0;
  for (const row of incoming) {
    const key = rowKey(row);
    const previous = held.get(key);
    if (previous && !differs(previous, row)) continue;
    if (!previous) added++;
    held.set(key, toLive(row, key, previous, now, true));
    changed++;
  }
  return { changed, added };
}

/**
 * A snapshot replaces everything held. Rows equal to the held ones keep their identity; rows that
 * differ flash, unless nothing was held before (the first snapshot).
 */
export function fromSnapshot(
  previous: ReadonlyMap<string, LiveStockRow>,
  snapshot: readonly StockRow[],
  now: number,
): { rows: Map<string, LiveStockRow>; sameKeys: boolean } {
  const rows = new Map<string, LiveStockRow>();
  const flashNew = previous.size > 0;
  for (const row of snapshot) {
    const key = rowKey(row);
    const held = previous.get(key);
    rows.set(key, held && !differs(held, row) ? held : toLive(row, key, held, now, flashNew));
  }
  const sameKeys = rows.size === previous.size && [...rows.keys()].every((key) => previous.has(key));
  return { rows, sameKeys };
}

export function sortedKeys(rows: ReadonlyMap<string, LiveStockRow>): string[] {
  return [...rows.values()].sort(compareRows).map((row) => row.key);
}

export function computeTotals(rows: Iterable<StockRow>): StockTotals {
  const skus = new Set<string>();
  const locations = new Set<string>();
  const totals: StockTotals = { skus: 0, lines: 0, locations: 0, unitsOnHand: 0, belowReorderPoint: 0, outOfStock: 0 };
  for (const row of rows) {
    skus.add(row.sku);
    locations.add(row.location);
    totals.lines++;
    totals.unitsOnHand += row.onHand;
    // The row's flag already requires an active SKU (as the server's below-reorder-point total).
    if (row.belowReorderPoint) totals.belowReorderPoint++;
    if (stockLevel(row) === 'out') totals.outOfStock++;
  }
  totals.skus = skus.size;
  totals.locations = locations.size;
  return totals;
}

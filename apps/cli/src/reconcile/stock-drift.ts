/** Stock of one SKU at one location as either side holds it. */
export interface StockFigures {
  sku: string;
  location: string;
  onHand: number;
  committed: number;
}

/** Window totals in exact units and cents. */
export interface WindowTotals {
  orders: number;
  revenueCents: number;
  units: number;
  cogsCents: number;
}

export interface Drift {
  what: string;
  live: string;
  stored: string;
}

/** Every SKU/location whose on-hand or committed differs, or that exists on one side only. */
export function findStockDrift(live: readonly StockFigures[], stored: readonly StockFigures[]): Drift[] {
  const key = (row: StockFigures) => `${row.sku}@${row.location}`;
  const storedByKey = new Map(stored.map((row) => [key(row), row]));
  const drift: Drift[] = [];
  const show = (row: StockFigures | undefined) => (row ? `onHand ${row.onHand}, committed ${row.committed}` : 'absent');
  for (const row of live) {
    const other = storedByKey.get(key(row));
    storedByKey.delete(key(row));
    if (!other || other.onHand !== row.onHand || other.committed !== row.committed) {
      drift.push({ what: `stock ${key(row)}`, live: show(row), stored: show(other) });
    }
  }
  for (const [name, row] of storedByKey) drift.push({ what: `stock ${name}`, live: 'absent', stored: show(row) });
  return drift;
}

export function findWindowDrift(window: string, live: WindowTotals, stored: WindowTotals): Drift[] {
  return (Object.keys(live) as (keyof WindowTotals)[])
    .filter((field) => live[field] !== stored[field])
    .map((field) => ({ what: `window ${window} ${field}`, live: String(live[field]), stored: String(stored[field]) }));
}

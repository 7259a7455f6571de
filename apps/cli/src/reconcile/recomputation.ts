import type { DataSource } from 'typeorm';
import type { StockState } from '@stockwall/aggregation';
import type { InventoryEvent } from '@stockwall/contracts';
import { costEventLines, stockKey } from '@stockwall/persistence';
import type { StockFigures, WindowTotals } from './stock-drift';

/** The live state as recomputed from the stored events alone. */
export interface Recomputation {
  stock: StockFigures[];
  /** Sales per minute (epoch ms of the minute's start), late events included. */
  minutes: Map<number, WindowTotals>;
  events: number;
}

const PAGE = 5_000;

interface StoredEventRow {
  id: string;
  apply_version: string | null;
  payload: string | InventoryEvent;
}

/**
 * Folds every stored event, from nothing, in the one order of effects (docs/aggregation.md, "One
 * order across shards"): by the version of the batch that applied it, then within the batch in
 * stream order (the insert order, `id`). Events stored before versions were recorded come first,
 * by `id`. Independent of stock_levels, the rollups and the live state: a drift against this one
 * says which side lost or doubled an event. Null when the retention prune removed stored events
 * (their ids outnumber the events), since the fold would then start from a wrong state.
 */
export async function recomputeFromStoredEvents(dataSource: DataSource): Promise<Recomputation | null> {
  const [counts] = await dataSource.query<{ events: string; ids: string }[]>(
    'SELECT (SELECT COUNT(*) FROM inventory_events) AS events, (SELECT COUNT(*) FROM event_identities) AS ids',
  );
  if (Number(counts.ids) > Number(counts.events)) return null;
  // costEventLines updates the states it is given in place; the map carries them from page to page.
  const states = new Map<string, StockState>();
  const skuLocations = new Map<string, { sku: string; location: string }>();
  const minutes = new Map<number, WindowTotals>();
  let events = 0;
  const fold = (rows: StoredEventRow[]) => {
    const batch = rows.map((row) =>
      typeof row.payload === 'string' ? (JSON.parse(row.payload) as InventoryEvent) : row.payload,
    );
    const lines = costEventLines(batch, states);
    for (const line of lines) {
      skuLocations.set(stockKey(line.sku, line.location), { sku: line.sku, location: line.location });
      const totals = minutes.get(line.minute) ?? { orders: 0, revenueCents: 0, units: 0, cogsCents: 0 };
      totals.orders += line.orders;
      totals.revenueCents += line.revenueCents;
      totals.units += line.units;
      totals.cogsCents += line.cogsCents;
      minutes.set(line.minute, totals);
    }
    events += rows.length;
  };
  for (let afterId = '0'; ;) {
    const rows = await dataSource.query<StoredEventRow[]>(
      'SELECT id, apply_version, payload FROM inventory_events WHERE apply_version IS NULL AND id > ? ORDER BY id LIMIT ?',
      [afterId, PAGE],
    );
    if (rows.length === 0) break;
    fold(rows);
    afterId = rows[rows.length - 1].id;
  }
  for (let after: [string, string] = ['-1', '0']; ;) {
    const rows = await dataSource.query<StoredEventRow[]>(
      `SELECT id, apply_version, payload FROM inventory_events
       WHERE apply_version IS NOT NULL AND (apply_version > ? OR (apply_version = ? AND id > ?))
       ORDER BY apply_version, id LIMIT ?`,
      [after[0], after[0], after[1], PAGE],
    );
    if (rows.length === 0) break;
    fold(rows);
    const last = rows[rows.length - 1];
    after = [String(last.apply_version), String(last.id)];
  }
  return {
    stock: [...skuLocations].map(([key, { sku, location }]) => {
      const { onHand, committed } = states.get(key)!;
      return { sku, location, onHand, committed };
    }),
    minutes,
    events,
  };
}

/** The recomputed sales of the minutes in [fromMs, endMs). */
export function recomputedWindow(recomputation: Recomputation, fromMs: number, endMs: number): WindowTotals {
  const totals: WindowTotals = { orders: 0, revenueCents: 0, units: 0, cogsCents: 0 };
  for (const [minute, sums] of recomputation.minutes) {
    if (minute < fromMs || minute >= endMs) continue;
    totals.orders += sums.orders;
    totals.revenueCents += sums.revenueCents;
    totals.units += sums.units;
    totals.cogsCents += sums.cogsCents;
  }
  return totals;
}

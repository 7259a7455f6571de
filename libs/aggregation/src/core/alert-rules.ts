import type { AlertKind } from '@stockwall/contracts';

/** What a SKU remembers between batches to raise each alert once (mirrored by the Lua apply). */
export interface AlertState {
  /** A low-stock alert was raised and has not re-armed yet (available has not climbed above the point). */
  lowStockRaised: boolean;
  /** Event time the SKU went out of stock, or null while it has stock. */
  outOfStockSince: number | null;
}

export const ARMED: Readonly<AlertState> = Object.freeze({ lowStockRaised: false, outOfStockSince: null });

export interface AlertCrossing {
  kind: AlertKind;
  stockoutMs: number | null;
}

/**
 * The alert rules, evaluated on a SKU's state after each batch:
 * - low stock: once when available ≤ reorder point; re-armed when available climbs above it;
 * - out of stock: when available ≤ 0; back in stock when it climbs above 0, with the stockout's
 *   duration in event time. Inactive (discontinued) SKUs raise nothing and forget their state.
 */
export function evaluateAlerts(
  state: AlertState,
  current: { available: number; reorderPoint: number | null; active: boolean; at: number },
): { state: AlertState; crossings: AlertCrossing[] } {
  if (!current.active) return { state: { ...ARMED }, crossings: [] };
  const crossings: AlertCrossing[] = [];
  let { lowStockRaised, outOfStockSince } = state;
  if (current.reorderPoint !== null) {
    if (current.available <= current.reorderPoint && !lowStockRaised) {
      lowStockRaised = true;
      crossings.push({ kind: 'low_stock', stockoutMs: null });
    } else if (current.available > current.reorderPoint && lowStockRaised) {
      lowStockRaised = false;
    }
  }
  if (current.available <= 0 && outOfStockSince === null) {
    outOfStockSince = current.at;
    crossings.push({ kind: 'out_of_stock', stockoutMs: null });
  } else if (current.available > 0 && outOfStockSince !== null) {
    crossings.push({ kind: 'back_in_stock', stockoutMs: Math.max(current.at - outOfStockSince, 0) });
    outOfStockSince = null;
  }
  return { state: { lowStockRaised, outOfStockSince }, crossings };
}

import { InventoryEvent, MINUTE_MS } from '@stockwall/contracts';
import { applyStockOps, EMPTY_STOCK, foldStock, StockState } from '@stockwall/aggregation';

/** One stock effect of one event on one SKU and location, with its sales figures. */
export interface EventLine {
  eventId: string;
  lineNo: number;
  eventType: InventoryEvent['type'];
  occurredAt: number;
  minute: number;
  source: string;
  location: string;
  sku: string;
  /** 1 on the first line of an order_placed, else 0. */
  orders: number;
  units: number;
  revenueCents: number;
  /** Units shipped net of returns, costed at the moving-average unit cost held when applied. */
  shipped: number;
  cogsCents: number;
  onHandAfter: number;
  committedAfter: number;
  /** The line's effect on the SKU's stock: after minus before, in apply order. */
  onHandDelta: number;
  committedDelta: number;
}

export function stockKey(sku: string, location: string): string {
  return `${location}\u0000${sku}`;
}

/**
 * Replays events in stream order against the stored states (updated in place), one event at a
 * time through the same fold as the live path, so each line carries the COGS and the stock at
 * the moment it was applied. The sums of these lines per minute equal the live window cells,
 * late events included (the live windows leave those out and count them).
 */
export function costEventLines(events: readonly InventoryEvent[], states: Map<string, StockState>): EventLine[] {
  const lines: EventLine[] = [];
  for (const event of events) {
    const folded = foldStock([event]);
    const cell = folded.sales[0];
    folded.changes.forEach((change, lineNo) => {
      const key = stockKey(change.sku, change.location);
      let state = states.get(key) ?? EMPTY_STOCK;
      const before = state;
      let shipped = 0;
      let cogsCents = 0;
      let unpricedRevenueCents = 0;
      for (const op of change.ops) {
        if (op.kind === 'add' && op.flows) {
          for (const flow of Object.values(op.flows)) {
            shipped += flow.shipped;
            // An add never changes the cost or price, so the state before it is the one that applies.
            cogsCents += flow.shipped * (state.unitCostCents ?? 0);
            unpricedRevenueCents -= flow.unpricedReversed * (state.unitPriceCents ?? 0);
          }
        }
        state = applyStockOps(state, [op], change.lastEventAt);
      }
      states.set(key, state);
      const sales = cell?.skus.get(change.sku);
      lines.push({
        eventId: event.eventId,
        lineNo,
        eventType: event.type,
        occurredAt: event.occurredAt,
        minute: Math.floor(event.occurredAt / MINUTE_MS) * MINUTE_MS,
        source: event.source,
        location: change.location,
        sku: change.sku,
        orders: lineNo === 0 ? (cell?.orders ?? 0) : 0,
        units: sales?.units ?? 0,
        revenueCents: (sales?.revenueCents ?? 0) + unpricedRevenueCents,
        shipped,
        cogsCents,
        onHandAfter: state.onHand,
        committedAfter: state.committed,
        onHandDelta: state.onHand - before.onHand,
        committedDelta: state.committed - before.committed,
      });
    });
  }
  return lines;
}

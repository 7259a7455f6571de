import { InventoryEvent, MINUTE_MS } from '@stockwall/contracts';
import type { StockOp } from './stock-state';

export interface StockChange {
  sku: string;
  location: string;
  ops: StockOp[];
  lastEventAt: number;
  /** Units shipped to customers per minute start (demand, for the sell rate and reorder point). */
  demand: Record<number, number>;
}

/** Sales of one source in one minute that do not depend on stored state. */
export interface SalesCell {
  source: string;
  minute: number;
  orders: number;
  revenueCents: number;
  units: number;
  /** Events of any type that fell in this minute (lateness is decided per cell). */
  events: number;
  /** Per SKU: net units and revenue, for the top-SKU rankings. */
  skus: Map<string, { units: number; revenueCents: number }>;
}

export interface FoldedBatch {
  /** One entry per SKU and location the batch touched, in first-touch order. */
  changes: StockChange[];
  /** Latest event time in the batch (epoch ms), or null for an empty batch. */
  maxEventTime: number | null;
  /** Window cells the batch touched, in first-touch order. */
  sales: SalesCell[];
}

/**
 * Folds a batch of events, in stream order, into per-SKU op lists and per-minute sales cells.
 * Pure: the effect of each event type on stock and sales is defined here and nowhere else (the
 * Redis and MySQL appliers replay the ops with the same rules).
 *
 * - order_placed: committed += qty; one order, revenue qty × price, units qty.
 * - order_fulfilled: on hand −= qty, committed −= qty; qty shipped (COGS at the unit cost then).
 * - order_cancelled: committed −= qty; revenue and units reversed.
 * - order_returned: on hand += qty; revenue and units reversed, shipped −= qty (COGS reversed).
 * Reversals without a line price are valued at the SKU's stored price when applied.
 */
export function foldStock(events: readonly InventoryEvent[]): FoldedBatch {
  // SKU changes per location, then per SKU: nested maps avoid building a string key per event.
  const changesByLocation = new Map<string, Map<string, StockChange>>();
  const changes: StockChange[] = [];
  const cells = new Map<string, SalesCell>();
  const cellList: SalesCell[] = [];
  let maxEventTime: number | null = null;
  // Events arrive mostly in time order: the previous event's cell is usually this one's.
  let lastCell: SalesCell | null = null;
  let lastFlowKey = '';

  const changeOf = (sku: string, location: string, occurredAt: number): StockChange => {
    let bySku = changesByLocation.get(location);
    if (bySku === undefined) {
      bySku = new Map();
      changesByLocation.set(location, bySku);
    }
    let change = bySku.get(sku);
    if (change === undefined) {
      change = { sku, location, ops: [], lastEventAt: occurredAt, demand: {} };
      bySku.set(sku, change);
      changes.push(change);
    } else if (occurredAt > change.lastEventAt) {
      change.lastEventAt = occurredAt;
    }
    return change;
  };

  const push = (sku: string, location: string, occurredAt: number, op: StockOp) => {
    changeOf(sku, location, occurredAt).ops.push(op);
  };

  // An `add` merges into the SKU's previous `add`, so a busy SKU costs one op and no new objects.
  const add = (
    change: StockChange,
    onHand: number,
    committed: number,
    flowKey: string | null,
    shipped: number,
    unpricedReversed: number,
  ) => {
    const previous = change.ops[change.ops.length - 1];
    let op: Extract<StockOp, { kind: 'add' }>;
    if (previous !== undefined && previous.kind === 'add') {
      op = previous;
      op.onHand += onHand;
      op.committed += committed;
    } else {
      op = { kind: 'add', onHand, committed, flows: undefined };
      change.ops.push(op);
    }
    if (flowKey !== null) {
      const flows = (op.flows ??= {});
      const existing = flows[flowKey];
      if (existing) {
        existing.shipped += shipped;
        existing.unpricedReversed += unpricedReversed;
      } else {
        flows[flowKey] = { shipped, unpricedReversed };
      }
    }
  };

  const cellOf = (event: InventoryEvent): SalesCell => {
    const minute = Math.floor(event.occurredAt / MINUTE_MS) * MINUTE_MS;
    if (lastCell !== null && lastCell.minute === minute && lastCell.source === event.source) return lastCell;
    const key = `${minute}\t${event.source}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = { source: event.source, minute, orders: 0, revenueCents: 0, units: 0, events: 0, skus: new Map() };
      cells.set(key, cell);
      cellList.push(cell);
    }
    lastCell = cell;
    lastFlowKey = key;
    return cell;
  };

  const sell = (cell: SalesCell, sku: string, units: number, revenueCents: number) => {
    cell.units += units;
    cell.revenueCents += revenueCents;
    const entry = cell.skus.get(sku);
    if (entry) {
      entry.units += units;
      entry.revenueCents += revenueCents;
    } else {
      cell.skus.set(sku, { units, revenueCents });
    }
  };

  for (const event of events) {
    // An acknowledgement is about a stored alert: no stock, no window, no watermark.
    if (event.type === 'alert_acknowledged') continue;
    const at = event.occurredAt;
    if (maxEventTime === null || at > maxEventTime) maxEventTime = at;
    const cell = cellOf(event);
    cell.events += 1;
    const flowKey = lastFlowKey;
    switch (event.type) {
      case 'product_added':
        push(event.sku, event.location, at, {
          kind: 'define',
          name: event.name,
          onHand: event.quantity,
          unitPriceCents: event.unitPriceCents ?? null,
          unitCostCents: event.unitCostCents ?? null,
          reorderPoint: event.reorderPoint ?? null,
        });
        break;
      case 'product_removed':
        if (event.quantity === undefined) push(event.sku, event.location, at, { kind: 'discontinue' });
        else add(changeOf(event.sku, event.location, at), -event.quantity, 0, null, 0, 0);
        break;
      case 'quantity_changed':
        add(changeOf(event.sku, event.location, at), event.delta, 0, null, 0, 0);
        break;
      case 'stock_adjusted':
        push(event.sku, event.location, at, { kind: 'set', onHand: event.quantity });
        break;
      case 'reorder_point_set':
        push(event.sku, event.location, at, { kind: 'reorder', reorderPoint: event.reorderPoint });
        break;
      case 'product_updated':
        // Category and description live in MySQL only; the live row keeps name, price and cost.
        push(event.sku, event.location, at, {
          kind: 'catalog',
          name: event.name ?? null,
          unitPriceCents: event.unitPriceCents ?? null,
          unitCostCents: event.unitCostCents ?? null,
        });
        break;
      case 'restock_received':
        push(
          event.sku,
          event.location,
          at,
          event.supplierId === undefined
            ? { kind: 'restock', quantity: event.quantity, unitCostCents: event.unitCostCents }
            : {
                kind: 'restock',
                quantity: event.quantity,
                unitCostCents: event.unitCostCents,
                supplierId: event.supplierId,
              },
        );
        break;
      case 'order_placed':
        cell.orders += 1;
        for (const line of event.lines) {
          add(changeOf(line.sku, event.location, at), 0, line.quantity, null, 0, 0);
          sell(cell, line.sku, line.quantity, line.quantity * (line.unitPriceCents ?? 0));
        }
        break;
      case 'order_fulfilled':
        for (const line of event.lines) {
          const change = changeOf(line.sku, event.location, at);
          add(change, -line.quantity, -line.quantity, flowKey, line.quantity, 0);
          change.demand[cell.minute] = (change.demand[cell.minute] ?? 0) + line.quantity;
        }
        break;
      case 'order_cancelled':
      case 'order_returned': {
        const returned = event.type === 'order_returned';
        for (const line of event.lines) {
          const priced = line.unitPriceCents !== undefined;
          add(
            changeOf(line.sku, event.location, at),
            returned ? line.quantity : 0,
            returned ? 0 : -line.quantity,
            returned || !priced ? flowKey : null,
            returned ? -line.quantity : 0,
            priced ? 0 : line.quantity,
          );
          sell(cell, line.sku, -line.quantity, -line.quantity * (line.unitPriceCents ?? 0));
        }
        break;
      }
    }
  }
  return { changes, maxEventTime, sales: cellList };
}

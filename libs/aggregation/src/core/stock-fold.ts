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
  const changes = new Map<string, StockChange>();
  const cells = new Map<string, SalesCell>();
  let maxEventTime: number | null = null;

  const changeOf = (sku: string, location: string, occurredAt: number): StockChange => {
    const key = `${location}\u0000${sku}`;
    let change = changes.get(key);
    if (!change) {
      change = { sku, location, ops: [], lastEventAt: occurredAt, demand: {} };
      changes.set(key, change);
    }
    change.lastEventAt = Math.max(change.lastEventAt, occurredAt);
    return change;
  };

  const push = (sku: string, location: string, occurredAt: number, op: StockOp) => {
    const change = changeOf(sku, location, occurredAt);
    const previous = change.ops[change.ops.length - 1];
    if (op.kind === 'add' && previous?.kind === 'add') {
      previous.onHand += op.onHand;
      previous.committed += op.committed;
      if (op.flows) mergeFlows((previous.flows ??= {}), op.flows);
    } else if (op.kind === 'add') {
      change.ops.push({ ...op, flows: op.flows ? mergeFlows({}, op.flows) : undefined });
    } else {
      change.ops.push(op);
    }
  };

  const cellOf = (event: InventoryEvent): SalesCell => {
    const minute = Math.floor(event.occurredAt / MINUTE_MS) * MINUTE_MS;
    const key = `${minute}\t${event.source}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = { source: event.source, minute, orders: 0, revenueCents: 0, units: 0, events: 0, skus: new Map() };
      cells.set(key, cell);
    }
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
    maxEventTime = Math.max(maxEventTime ?? event.occurredAt, event.occurredAt);
    const at = event.occurredAt;
    const cell = cellOf(event);
    cell.events += 1;
    const flowKey = `${cell.minute}\t${cell.source}`;
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
        push(
          event.sku,
          event.location,
          at,
          event.quantity === undefined
            ? { kind: 'discontinue' }
            : { kind: 'add', onHand: -event.quantity, committed: 0 },
        );
        break;
      case 'quantity_changed':
        push(event.sku, event.location, at, { kind: 'add', onHand: event.delta, committed: 0 });
        break;
      case 'stock_adjusted':
        push(event.sku, event.location, at, { kind: 'set', onHand: event.quantity });
        break;
      case 'restock_received':
        push(event.sku, event.location, at, {
          kind: 'restock',
          quantity: event.quantity,
          unitCostCents: event.unitCostCents,
          ...(event.supplierId === undefined ? {} : { supplierId: event.supplierId }),
        });
        break;
      case 'order_placed':
        cell.orders += 1;
        for (const line of event.lines) {
          push(line.sku, event.location, at, { kind: 'add', onHand: 0, committed: line.quantity });
          sell(cell, line.sku, line.quantity, line.quantity * (line.unitPriceCents ?? 0));
        }
        break;
      case 'order_fulfilled':
        for (const line of event.lines) {
          push(line.sku, event.location, at, {
            kind: 'add',
            onHand: -line.quantity,
            committed: -line.quantity,
            flows: { [flowKey]: { shipped: line.quantity, unpricedReversed: 0 } },
          });
          const demand = changeOf(line.sku, event.location, at).demand;
          demand[cell.minute] = (demand[cell.minute] ?? 0) + line.quantity;
        }
        break;
      case 'order_cancelled':
      case 'order_returned': {
        const returned = event.type === 'order_returned';
        for (const line of event.lines) {
          const priced = line.unitPriceCents !== undefined;
          push(line.sku, event.location, at, {
            kind: 'add',
            onHand: returned ? line.quantity : 0,
            committed: returned ? 0 : -line.quantity,
            flows:
              returned || !priced
                ? {
                    [flowKey]: { shipped: returned ? -line.quantity : 0, unpricedReversed: priced ? 0 : line.quantity },
                  }
                : undefined,
          });
          sell(cell, line.sku, -line.quantity, -line.quantity * (line.unitPriceCents ?? 0));
        }
        break;
      }
    }
  }
  return { changes: [...changes.values()], maxEventTime, sales: [...cells.values()] };
}

function mergeFlows(
  target: NonNullable<Extract<StockOp, { kind: 'add' }>['flows']>,
  source: NonNullable<Extract<StockOp, { kind: 'add' }>['flows']>,
) {
  for (const [key, flow] of Object.entries(source)) {
    const existing = target[key];
    if (existing) {
      existing.shipped += flow.shipped;
      existing.unpricedReversed += flow.unpricedReversed;
    } else {
      target[key] = { ...flow };
    }
  }
  return target;
}

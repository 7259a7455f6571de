import type { InventoryEvent } from '@stockwall/contracts';
import type { StockOp } from './stock-state';

export interface StockChange {
  sku: string;
  location: string;
  ops: StockOp[];
  lastEventAt: number;
}

export interface FoldedBatch {
  /** One entry per SKU and location the batch touched, in first-touch order. */
  changes: StockChange[];
  /** Latest event time in the batch (epoch ms), or null for an empty batch. */
  maxEventTime: number | null;
}

/**
 * Folds a batch of events, in stream order, into per-SKU op lists. Pure: the effect of each
 * event type on stock is defined here and nowhere else (the Redis and MySQL appliers replay
 * the ops with the same rules).
 */
export function foldStock(events: readonly InventoryEvent[]): FoldedBatch {
  const changes = new Map<string, StockChange>();
  let maxEventTime: number | null = null;

  const push = (sku: string, location: string, occurredAt: number, op: StockOp) => {
    const key = `${location}\u0000${sku}`;
    let change = changes.get(key);
    if (!change) {
      change = { sku, location, ops: [], lastEventAt: occurredAt };
      changes.set(key, change);
    }
    change.lastEventAt = Math.max(change.lastEventAt, occurredAt);
    const previous = change.ops[change.ops.length - 1];
    if (op.kind === 'add' && previous?.kind === 'add') {
      previous.onHand += op.onHand;
      previous.committed += op.committed;
    } else {
      change.ops.push(op.kind === 'add' ? { ...op } : op);
    }
  };

  for (const event of events) {
    maxEventTime = Math.max(maxEventTime ?? event.occurredAt, event.occurredAt);
    const at = event.occurredAt;
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
        });
        break;
      case 'order_placed':
        for (const line of event.lines) {
          push(line.sku, event.location, at, { kind: 'add', onHand: 0, committed: line.quantity });
        }
        break;
      case 'order_fulfilled':
        for (const line of event.lines) {
          push(line.sku, event.location, at, { kind: 'add', onHand: -line.quantity, committed: -line.quantity });
        }
        break;
      case 'order_cancelled':
        for (const line of event.lines) {
          push(line.sku, event.location, at, { kind: 'add', onHand: 0, committed: -line.quantity });
        }
        break;
      case 'order_returned':
        for (const line of event.lines) {
          push(line.sku, event.location, at, { kind: 'add', onHand: line.quantity, committed: 0 });
        }
        break;
    }
  }
  return { changes: [...changes.values()], maxEventTime };
}

import type { InventoryEvent } from '@stockwall/contracts';
import { stockKey } from '../history/event-lines';

/** The supplier a SKU's latest restock named, and when that restock happened. */
export interface NamedSupplier {
  supplierId: string;
  at: number;
}

/**
 * Per `location\u0000sku`, the supplier named by the latest of these restocks that names one (at equal
 * times the later in the batch, as in the event table's order). writeStockLevels records it unless
 * the row already holds a later restock's: restocks of different shards are stored in any order.
 */
export function latestSuppliers(events: readonly InventoryEvent[]): Map<string, NamedSupplier> {
  const latest = new Map<string, NamedSupplier>();
  for (const event of events) {
    if (event.type !== 'restock_received' || !event.supplierId) continue;
    const key = stockKey(event.sku, event.location);
    const known = latest.get(key);
    if (known && known.at > event.occurredAt) continue;
    latest.set(key, { supplierId: event.supplierId, at: event.occurredAt });
  }
  return latest;
}

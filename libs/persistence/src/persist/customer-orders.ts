import type { EntityManager } from 'typeorm';
import type { InventoryEvent } from '@stockwall/contracts';

/**
 * Stores one `customer_orders` row per order of a known customer among the events this
 * transaction inserted (so a redelivered order adds nothing), with its revenue as the fold counts
 * it: quantity × unit price of each line, unpriced lines adding nothing.
 */
export async function insertCustomerOrders(
  manager: EntityManager,
  events: readonly { storageId: string; event: InventoryEvent }[],
): Promise<void> {
  const rows = events.flatMap(({ storageId, event }) =>
    event.type === 'order_placed' && event.customerHash
      ? [
          [
            storageId,
            event.customerHash,
            new Date(event.occurredAt),
            event.source,
            event.location,
            event.lines.reduce((sum, line) => sum + line.quantity * (line.unitPriceCents ?? 0), 0),
          ],
        ]
      : [],
  );
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO customer_orders (event_id, customer_hash, occurred_at, source, location, revenue_cents) VALUES ?`,
    [rows],
  );
}

import type { EntityManager } from 'typeorm';
import type { InventoryEvent } from '@stockwall/contracts';

/**
 * Stores one `customer_orders` row per order of a known customer among the events this
 * transaction inserted (so a redelivered order adds nothing), with its revenue as the fold counts
 * it: quantity × unit price of each line, unpriced lines adding nothing; and moves each customer's
 * first order earlier when one of these is.
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
  // Each customer's earliest order of the batch, in key order (concurrent batches lock rows alike).
  const first = new Map<string, number>();
  for (const [, customerHash, at] of rows as [string, string, Date][]) {
    first.set(customerHash, Math.min(first.get(customerHash) ?? at.getTime(), at.getTime()));
  }
  await manager.query(
    `INSERT INTO customer_first_orders (customer_hash, first_at) VALUES ?
     ON DUPLICATE KEY UPDATE first_at = LEAST(first_at, VALUES(first_at))`,
    [[...first].sort(([left], [right]) => (left < right ? -1 : 1)).map(([hash, at]) => [hash, new Date(at)])],
  );
}

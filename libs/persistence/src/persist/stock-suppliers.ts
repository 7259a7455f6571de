import type { EntityManager } from 'typeorm';
import type { InventoryEvent } from '@stockwall/contracts';

/**
 * Records the supplier each stored restock names on its SKU's stock_levels row, unless the row
 * already holds a later restock's (restocks of different shards are stored in any order; at equal
 * times the one stored last wins, as in the event table's order). Runs after the rows are written.
 */
export async function recordSuppliers(manager: EntityManager, events: readonly InventoryEvent[]): Promise<void> {
  const latest = new Map<string, { sku: string; location: string; supplierId: string; at: number }>();
  for (const event of events) {
    if (event.type !== 'restock_received' || !event.supplierId) continue;
    const key = `${event.location}\u0000${event.sku}`;
    const known = latest.get(key);
    if (known && known.at > event.occurredAt) continue;
    latest.set(key, { sku: event.sku, location: event.location, supplierId: event.supplierId, at: event.occurredAt });
  }
  const rows = [...latest.entries()].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  for (const [, row] of rows) {
    await manager.query(
      `UPDATE stock_levels SET supplier_id = ?, supplier_at = ?
       WHERE sku = ? AND location = ? AND (supplier_at IS NULL OR supplier_at <= ?)`,
      [row.supplierId, new Date(row.at), row.sku, row.location, new Date(row.at)],
    );
  }
}

import type { EntityManager } from 'typeorm';
import type { InventoryEvent, PersistBatchJob, PositionedEvent } from '@stockwall/contracts';
import type { ApplyReceipt, StockState } from '@stockwall/aggregation';
import { EventLine, stockKey } from '../history/event-lines';
import type { NamedSupplier } from './stock-suppliers';

// The rows one persisted batch writes (PersistBatchWriter), each kind in one statement or a few.

/** An event with the id it is stored under (its own, or a re-delivery id). */
export interface StoredEvent extends PositionedEvent {
  storageId: string;
}

/** One inventory_events row, in the column order of the INSERT below. */
export function inventoryEventRow(
  job: Pick<PersistBatchJob, 'streamName' | 'shardId'>,
  { position, event }: PositionedEvent,
  storageId = event.eventId,
): (string | number | Date | null)[] {
  return [
    storageId,
    event.type,
    job.streamName,
    job.shardId,
    position.sequenceNumber,
    position.subSequence,
    new Date(event.occurredAt),
    event.location,
    event.source,
    'sku' in event ? event.sku : null,
    'orderId' in event ? event.orderId : null,
    JSON.stringify(event),
  ];
}

/** Inserts the events under their storage ids, with the version of the apply that counted them, and keeps the ids. */
export async function insertEvents(
  manager: EntityManager,
  job: PersistBatchJob,
  items: StoredEvent[],
  applyVersion: number,
): Promise<void> {
  if (items.length === 0) return;
  const rows = items.map((item) => [...inventoryEventRow(job, item, item.storageId), applyVersion]);
  await manager.query(
    `INSERT INTO inventory_events (event_id, event_type, stream_name, shard_id, sequence_number, sub_sequence,
       occurred_at, location, source, sku, order_id, payload, apply_version) VALUES ?`,
    [rows],
  );
  const now = new Date();
  await manager.query('INSERT IGNORE INTO event_identities (event_id, first_stored_at) VALUES ?', [
    items.map((item) => [item.storageId, now]),
  ]);
}

/**
 * Each changed SKU's state after the apply, unless the row holds a later apply's (a higher
 * version): jobs of different shards may commit in any order and still leave the latest state.
 * In the same statement, the supplier of the batch's latest stored restock naming one, unless the
 * row holds a later restock's. Rows are written in key order so concurrent batches lock them in the
 * same order.
 */
export async function writeStockLevels(
  manager: EntityManager,
  states: Map<string, StockState>,
  receipt: ApplyReceipt,
  suppliers: ReadonlyMap<string, NamedSupplier>,
): Promise<void> {
  const rows = receipt.before
    .map(({ sku, location }) => ({ sku, location, state: states.get(stockKey(sku, location)) }))
    .filter((row): row is { sku: string; location: string; state: StockState } => row.state !== undefined)
    .sort((left, right) =>
      left.sku === right.sku ? compareText(left.location, right.location) : compareText(left.sku, right.sku),
    )
    .map(({ sku, location, state }) => {
      const supplier = suppliers.get(stockKey(sku, location));
      return [
        sku,
        location,
        state.name,
        state.onHand,
        state.committed,
        state.unitCostCents,
        state.unitPriceCents,
        state.reorderPoint,
        state.active ? 1 : 0,
        state.lastEventAt === null ? null : new Date(state.lastEventAt),
        receipt.version,
        supplier?.supplierId ?? null,
        supplier ? new Date(supplier.at) : null,
      ];
    });
  if (rows.length === 0) return;
  // MariaDB assigns left to right, each seeing the columns already assigned: live_version goes last.
  const newer = '(live_version IS NULL OR VALUES(live_version) > live_version)';
  const take = (column: string) => `${column} = IF(${newer}, VALUES(${column}), ${column})`;
  // The supplier likewise: supplier_id is assigned while supplier_at still holds the stored restock's time.
  const laterRestock =
    '(VALUES(supplier_at) IS NOT NULL AND (supplier_at IS NULL OR VALUES(supplier_at) >= supplier_at))';
  const takeSupplier = (column: string) => `${column} = IF(${laterRestock}, VALUES(${column}), ${column})`;
  await manager.query(
    `INSERT INTO stock_levels (sku, location, name, on_hand, committed, unit_cost_cents, unit_price_cents,
       reorder_point, active, last_event_at, live_version, supplier_id, supplier_at) VALUES ?
     ON DUPLICATE KEY UPDATE ${takeSupplier('supplier_id')}, ${takeSupplier('supplier_at')}, ${[
       'name',
       'on_hand',
       'committed',
       'unit_cost_cents',
       'unit_price_cents',
       'reorder_point',
       'active',
       'last_event_at',
       'live_version',
     ]
       .map(take)
       .join(', ')}`,
    [rows],
  );
}

export async function insertLines(manager: EntityManager, lines: EventLine[]): Promise<void> {
  // Chunks keep each statement well under max_allowed_packet.
  for (let start = 0; start < lines.length; start += 2_000) {
    await manager.query(
      `INSERT INTO inventory_event_lines (event_id, line_no, event_type, occurred_at, minute_at, source, location, sku,
         orders, units, revenue_cents, shipped, cogs_cents, on_hand_after, committed_after, on_hand_delta,
         committed_delta) VALUES ?`,
      [
        lines
          .slice(start, start + 2_000)
          .map((line) => [
            line.eventId,
            line.lineNo,
            line.eventType,
            new Date(line.occurredAt),
            new Date(line.minute),
            line.source,
            line.location,
            line.sku,
            line.orders,
            line.units,
            line.revenueCents,
            line.shipped,
            line.cogsCents,
            line.onHandAfter,
            line.committedAfter,
            line.onHandDelta,
            line.committedDelta,
          ]),
      ],
    );
  }
}

/** The first acknowledgement of an open alert is kept; a later one changes nothing. */
export async function acknowledgeAlerts(manager: EntityManager, events: InventoryEvent[]): Promise<void> {
  for (const event of events) {
    if (event.type !== 'alert_acknowledged') continue;
    await manager.query(
      `UPDATE alerts SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?
       WHERE alert_id = ? AND status = 'open'`,
      [new Date(event.occurredAt), event.acknowledgedBy, event.alertId],
    );
  }
}

export async function upsertProducts(manager: EntityManager, events: InventoryEvent[]): Promise<void> {
  // In stream order, merged per SKU: a product_updated changes only the fields it gives.
  const products = new Map<string, ProductRow>();
  for (const event of events) {
    if (event.type === 'product_added') {
      const before = products.get(event.sku);
      products.set(event.sku, {
        name: event.name,
        unitPriceCents: event.unitPriceCents ?? before?.unitPriceCents ?? null,
        unitCostCents: event.unitCostCents ?? before?.unitCostCents ?? null,
        reorderPoint: event.reorderPoint ?? before?.reorderPoint ?? null,
        category: before?.category ?? null,
        description: before?.description ?? null,
      });
    } else if (event.type === 'product_updated') {
      const before = products.get(event.sku);
      products.set(event.sku, {
        name: event.name ?? before?.name ?? null,
        unitPriceCents: event.unitPriceCents ?? before?.unitPriceCents ?? null,
        unitCostCents: event.unitCostCents ?? before?.unitCostCents ?? null,
        reorderPoint: before?.reorderPoint ?? null,
        category: event.category ?? before?.category ?? null,
        description: event.description ?? before?.description ?? null,
      });
    }
  }
  if (products.size === 0) return;
  const rows = [...products].map(([sku, row]) => [
    sku,
    row.name,
    row.unitPriceCents,
    row.unitCostCents,
    row.reorderPoint,
    row.category,
    row.description,
  ]);
  await manager.query(
    `INSERT INTO products (sku, name, unit_price_cents, unit_cost_cents, reorder_point, category, description) VALUES ?
     ON DUPLICATE KEY UPDATE name = COALESCE(VALUES(name), name),
       unit_price_cents = COALESCE(VALUES(unit_price_cents), unit_price_cents),
       unit_cost_cents = COALESCE(VALUES(unit_cost_cents), unit_cost_cents),
       reorder_point = COALESCE(VALUES(reorder_point), reorder_point),
       category = COALESCE(VALUES(category), category),
       description = COALESCE(VALUES(description), description)`,
    [rows],
  );
}

/** A products row as a batch leaves it; null: unchanged by the batch. */
interface ProductRow {
  name: string | null;
  unitPriceCents: number | null;
  unitCostCents: number | null;
  reorderPoint: number | null;
  category: string | null;
  description: string | null;
}

function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

import type { InventoryEvent } from '@stockwall/contracts';
import { writeOutcomesOf } from './batch-applier.service';

const meta = { occurredAt: 0, location: 'north', source: 'api' };

describe(writeOutcomesOf.name, () => {
  it('reports the API’s writes only: applied with their type, first SKU and location; refused as rejected', () => {
    const events: InventoryEvent[] = [
      { ...meta, eventId: 'api-1', type: 'stock_adjusted', sku: 'A', quantity: 3, reason: 'count' },
      { ...meta, eventId: 'store-7', type: 'quantity_changed', sku: 'B', delta: 1 },
      { ...meta, eventId: 'api-2', type: 'order_fulfilled', orderId: 'o', lines: [{ sku: 'C', quantity: 1 }] },
    ];
    const sut = writeOutcomesOf(events, [
      { eventId: 'api-3', reason: 'apply_refused', detail: 'on hand would leave the exact integer range' },
      { eventId: 'api-4', reason: 'duplicate', detail: 'applied before within the dedupe window' },
      { eventId: 'store-8', reason: 'apply_refused', detail: 'x' },
    ]);
    expect(sut).toEqual([
      { state: 'applied', eventId: 'api-1', eventType: 'stock_adjusted', sku: 'A', location: 'north' },
      { state: 'applied', eventId: 'api-2', eventType: 'order_fulfilled', sku: 'C', location: 'north' },
      { state: 'rejected', eventId: 'api-3', reason: 'on hand would leave the exact integer range' },
    ]);
  });
});

import type { InventoryEvent } from '@stockwall/contracts';
import { movementCursor, parseMovementCursor, quantityDeltaOf } from './movements.reader';

const meta = { eventId: 'e1', occurredAt: 0, location: 'main', source: 'api' };

describe(quantityDeltaOf.name, () => {
  it('takes a delta event’s own figure, whatever the line before says', () => {
    const changed: InventoryEvent = { ...meta, type: 'quantity_changed', sku: 'A', delta: -4 };
    expect(quantityDeltaOf(changed, 0, 6, 99)).toBe(-4);
    const restock: InventoryEvent = { ...meta, type: 'restock_received', sku: 'A', quantity: 12, unitCostCents: 100 };
    expect(quantityDeltaOf(restock, 0, 20, 8)).toBe(12);
  });

  it('reads an order line by its number: fulfilled leaves stock, returned comes back', () => {
    const lines = [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 5 },
    ];
    expect(quantityDeltaOf({ ...meta, type: 'order_fulfilled', orderId: 'o', lines }, 1, 0, null)).toBe(-5);
    expect(quantityDeltaOf({ ...meta, type: 'order_returned', orderId: 'o', lines }, 0, 0, null)).toBe(2);
  });

  it('makes a count the difference from the line before (from zero for the first)', () => {
    const counted: InventoryEvent = { ...meta, type: 'stock_adjusted', sku: 'A', quantity: 7, reason: 'count' };
    expect(quantityDeltaOf(counted, 0, 7, 10)).toBe(-3);
    expect(quantityDeltaOf(counted, 0, 7, null)).toBe(7);
    const discontinued: InventoryEvent = { ...meta, type: 'product_removed', sku: 'A' };
    expect(quantityDeltaOf(discontinued, 0, 0, 9)).toBe(-9);
    expect(quantityDeltaOf({ ...discontinued, quantity: 2 }, 0, 7, 9)).toBe(-2);
  });
});

describe(parseMovementCursor.name, () => {
  it('reads back what movementCursor wrote and refuses anything else', () => {
    expect(parseMovementCursor(movementCursor(1_717_236_000_000, '42'))).toEqual({
      occurredAt: 1_717_236_000_000,
      id: '42',
    });
    for (const bad of ['', '42', '1.2.3', 'a.1', '1.-2', `${'9'.repeat(16)}.1`])
      expect(parseMovementCursor(bad)).toBeNull();
  });
});

import type { InventoryEvent } from '@stockwall/contracts';
import { foldStock, StockState } from '@stockwall/aggregation';
import { costEventLines, stockKey } from './event-lines';

const at = Date.UTC(2024, 2, 1, 9, 0, 30);
const meta = (eventId: string, offsetMs = 0) => ({
  eventId,
  occurredAt: at + offsetMs,
  location: 'main',
  source: 'web',
});

function events(): InventoryEvent[] {
  return [
    {
      ...meta('add'),
      type: 'product_added',
      sku: 'A',
      name: 'Apple',
      quantity: 10,
      unitCostCents: 100,
      unitPriceCents: 250,
    },
    { ...meta('restock', 1), type: 'restock_received', sku: 'A', quantity: 10, unitCostCents: 201 },
    {
      ...meta('place', 2),
      type: 'order_placed',
      orderId: 'o1',
      lines: [{ sku: 'A', quantity: 3, unitPriceCents: 250 }],
    },
    { ...meta('ship', 3), type: 'order_fulfilled', orderId: 'o1', lines: [{ sku: 'A', quantity: 3 }] },
    { ...meta('return', 61_000), type: 'order_returned', orderId: 'o1', lines: [{ sku: 'A', quantity: 1 }] },
  ];
}

describe(costEventLines.name, () => {
  it('costs shipped units at the moving-average cost held then and prices unpriced returns at the SKU price', () => {
    const states = new Map<string, StockState>();
    const sut = costEventLines(events(), states);
    // Moving average of 10 @ 1.00 and 10 @ 2.01 is 1.505, rounded half up to 151 cents.
    expect(sut.map((line) => [line.eventId, line.units, line.revenueCents, line.shipped, line.cogsCents])).toEqual([
      ['add', 0, 0, 0, 0],
      ['restock', 0, 0, 0, 0],
      ['place', 3, 750, 0, 0],
      ['ship', 0, 0, 3, 453],
      ['return', -1, -250, -1, -151],
    ]);
    expect(sut.map((line) => line.onHandAfter)).toEqual([10, 20, 20, 17, 18]);
    // Each line's effect on the stock, in apply order: what the stock over time adds up.
    expect(sut.map((line) => [line.onHandDelta, line.committedDelta])).toEqual([
      [10, 0],
      [10, 0],
      [0, 3],
      [-3, -3],
      [1, 0],
    ]);
    expect(sut[2]).toMatchObject({ orders: 1, committedAfter: 3 });
    expect(sut[4].minute).toBe(Date.UTC(2024, 2, 1, 9, 1));
    expect(states.get(stockKey('A', 'main'))).toMatchObject({ onHand: 18, committed: 0, unitCostCents: 151 });
  });

  it('sums to the same units and revenue per minute as the batch fold of the live path', () => {
    const lines = costEventLines(events(), new Map());
    const sut = new Map<number, { units: number; revenue: number }>();
    for (const line of lines) {
      const entry = sut.get(line.minute) ?? { units: 0, revenue: 0 };
      sut.set(line.minute, { units: entry.units + line.units, revenue: entry.revenue + line.revenueCents });
    }
    for (const cell of foldStock(events()).sales) {
      // Priced reversals only here: the fold's revenue needs no stored price.
      const priced = cell.minute === Date.UTC(2024, 2, 1, 9, 0);
      if (priced) expect(sut.get(cell.minute)).toEqual({ units: cell.units, revenue: cell.revenueCents });
      else expect(sut.get(cell.minute)?.units).toBe(cell.units);
    }
  });

  it('gives each SKU of an order its own line and counts the order once', () => {
    const sut = costEventLines(
      [
        {
          ...meta('multi'),
          type: 'order_placed',
          orderId: 'o2',
          lines: [
            { sku: 'A', quantity: 1, unitPriceCents: 100 },
            { sku: 'B', quantity: 2, unitPriceCents: 50 },
          ],
        },
      ],
      new Map(),
    );
    expect(sut.map((line) => [line.sku, line.lineNo, line.orders, line.revenueCents])).toEqual([
      ['A', 0, 1, 100],
      ['B', 1, 0, 100],
    ]);
  });
});

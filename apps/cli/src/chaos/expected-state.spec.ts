import type { WireEvent } from '@stockwall/contracts';
import { ExpectedState } from './expected-state';

const at = (minute: number) => new Date(Date.UTC(2024, 4, 1, 10, minute)).toISOString();

function added(sku: string, quantity: number, minute = 0, location?: string): WireEvent {
  return {
    event_type: 'product_added',
    event_id: `added-${sku}-${location ?? 'main'}`,
    occurred_at: at(minute),
    ...(location ? { location } : {}),
    product: {
      product_id: sku,
      product_name: sku,
      quantity,
      timestamp: at(minute),
      unit_price: '2.00',
      unit_cost: '1.20',
    },
  };
}

function order(
  type: 'order_placed' | 'order_fulfilled' | 'order_returned',
  id: string,
  minute: number,
  lines: { sku: string; quantity: number; unit_price?: string }[],
): WireEvent {
  return { event_type: type, event_id: `${id}-${type}`, order_id: id, occurred_at: at(minute), lines } as WireEvent;
}

describe(ExpectedState.name, () => {
  it('folds stock per SKU and location: added sets, placed commits, fulfilled ships, returned restocks', () => {
    const sut = new ExpectedState();
    sut.add(added('A', 100));
    sut.add(added('A', 50, 0, 'north'));
    sut.add(order('order_placed', 'o1', 1, [{ sku: 'A', quantity: 3, unit_price: '2.00' }]));
    sut.add(order('order_fulfilled', 'o1', 2, [{ sku: 'A', quantity: 3 }]));
    sut.add(order('order_placed', 'o2', 3, [{ sku: 'A', quantity: 4, unit_price: '2.00' }]));
    sut.add(order('order_returned', 'o0', 4, [{ sku: 'A', quantity: 1, unit_price: '2.00' }]));
    sut.add({
      event_type: 'quantity_changed',
      event_id: 'q1',
      occurred_at: at(5),
      product: { product_id: 'A', quantity_delta: -2, timestamp: at(5) },
    });

    expect(sut.rows()).toEqual([
      { sku: 'A', location: 'main', onHand: 100 - 3 + 1 - 2, committed: 4 },
      { sku: 'A', location: 'north', onHand: 50, committed: 0 },
    ]);
    expect(sut.watermark).toBe(Date.parse(at(5)));
  });

  it('sums sales of a time range: orders and revenue when placed, COGS at the unit cost when shipped, returns reversed', () => {
    const sut = new ExpectedState();
    sut.add(added('A', 100));
    sut.add(order('order_placed', 'o1', 1, [{ sku: 'A', quantity: 3, unit_price: '2.50' }]));
    sut.add(order('order_fulfilled', 'o1', 1, [{ sku: 'A', quantity: 3 }]));
    sut.add(order('order_returned', 'o1', 2, [{ sku: 'A', quantity: 1, unit_price: '2.50' }]));
    sut.add(order('order_placed', 'o2', 9, [{ sku: 'A', quantity: 1, unit_price: '2.50' }]));

    expect(sut.salesBetween(Date.parse(at(0)), Date.parse(at(5)))).toEqual({
      orders: 1,
      revenueCents: 750 - 250,
      units: 2,
      cogsCents: 3 * 120 - 120,
    });
    expect(sut.salesBetween(Date.parse(at(9)), Date.parse(at(10)))).toEqual({
      orders: 1,
      revenueCents: 250,
      units: 1,
      cogsCents: 0,
    });
  });

  it('counts a producer retry (the same id and content) once, and flags an id that names two different events', () => {
    const sut = new ExpectedState();
    const placed = order('order_placed', 'o1', 1, [{ sku: 'A', quantity: 3, unit_price: '2.00' }]);
    sut.add(added('A', 10));
    sut.add(placed);
    sut.add(placed);
    sut.add({ ...placed, lines: [{ sku: 'A', quantity: 5, unit_price: '2.00' }] } as WireEvent);

    expect(sut.eventCount).toBe(2);
    expect(sut.rows()).toEqual([{ sku: 'A', location: 'main', onHand: 10, committed: 3 }]);
    expect(sut.conflictingIds).toEqual(['o1-order_placed']);
  });

  it('refuses event types it has no rule for, rather than guessing', () => {
    const sut = new ExpectedState();
    expect(() =>
      sut.add({
        event_type: 'stock_adjusted',
        event_id: 's1',
        occurred_at: at(1),
        sku: 'A',
        quantity: 4,
        reason: 'count',
      }),
    ).toThrow('no rule for stock_adjusted');
  });
});

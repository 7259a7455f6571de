import type { InventoryEvent } from '@stockwall/contracts';
import { foldStock } from './stock-fold';
import { applyStockOps, EMPTY_STOCK, movingAverageCost, StockState, toStockRow } from './stock-state';

let sequence = 0;
const meta = (occurredAt = 1_000) => ({ eventId: `e${++sequence}`, occurredAt, location: 'main', source: 'web' });
const added = (sku: string, quantity: number, extra: Partial<InventoryEvent> = {}): InventoryEvent =>
  ({ ...meta(), type: 'product_added', sku, name: sku, quantity, ...extra }) as InventoryEvent;

/** Folds events and replays the ops from a starting state per SKU, as the appliers do. */
function run(events: InventoryEvent[], start: Record<string, StockState> = {}): Record<string, StockState> {
  const result: Record<string, StockState> = { ...start };
  for (const change of foldStock(events).changes) {
    result[change.sku] = applyStockOps(result[change.sku] ?? EMPTY_STOCK, change.ops, change.lastEventAt);
  }
  return result;
}

describe(foldStock.name, () => {
  it('leaves stock, windows and the event time alone for an alert acknowledgement', () => {
    const acknowledged: InventoryEvent = {
      ...meta(9_000),
      type: 'alert_acknowledged',
      sku: 'A',
      alertId: 'batch|low_stock|main|A',
      acknowledgedBy: 'ops',
    };
    const folded = foldStock([added('A', 10), acknowledged]);
    expect(folded.changes.map((change) => change.sku)).toEqual(['A']);
    expect(folded.changes[0].lastEventAt).toBe(1_000);
    expect(folded.maxEventTime).toBe(1_000);
    expect(folded.sales.reduce((sum, cell) => sum + cell.events, 0)).toBe(1);
    expect(foldStock([acknowledged])).toMatchObject({ changes: [], sales: [], maxEventTime: null });
  });

  it('adds a product with its quantity and metadata', () => {
    const state = run([added('A', 10, { unitPriceCents: 1999, unitCostCents: 800, reorderPoint: 3 })]).A;
    expect(state).toMatchObject({
      onHand: 10,
      committed: 0,
      unitPriceCents: 1999,
      unitCostCents: 800,
      reorderPoint: 3,
      active: true,
      name: 'A',
    });
  });

  it('applies the order life cycle to on hand and committed', () => {
    const lines = [{ sku: 'A', quantity: 3, unitPriceCents: 500 }];
    const state = run([
      added('A', 10),
      { ...meta(), type: 'order_placed', orderId: 'O1', lines },
      { ...meta(), type: 'order_placed', orderId: 'O2', lines },
      { ...meta(), type: 'order_fulfilled', orderId: 'O1', lines },
      { ...meta(), type: 'order_cancelled', orderId: 'O2', lines },
      { ...meta(), type: 'order_returned', orderId: 'O1', lines: [{ sku: 'A', quantity: 1 }] },
    ]).A;
    expect(state).toMatchObject({ onHand: 8, committed: 0 });
    expect(toStockRow('A', 'main', state).available).toBe(8);
  });

  it('merges consecutive additive steps into one op', () => {
    const { changes } = foldStock([
      { ...meta(), type: 'quantity_changed', sku: 'A', delta: 5 },
      { ...meta(), type: 'quantity_changed', sku: 'A', delta: -2 },
      { ...meta(), type: 'product_removed', sku: 'A', quantity: 1 },
    ]);
    expect(changes).toHaveLength(1);
    expect(changes[0].ops).toEqual([{ kind: 'add', onHand: 2, committed: 0 }]);
  });

  it('keeps order-dependent steps in order: a count sets, later changes add to it', () => {
    const state = run(
      [
        { ...meta(), type: 'quantity_changed', sku: 'A', delta: 5 },
        { ...meta(), type: 'stock_adjusted', sku: 'A', quantity: 20, reason: 'count' },
        { ...meta(), type: 'quantity_changed', sku: 'A', delta: -3 },
      ],
      { A: { ...EMPTY_STOCK, onHand: 100 } },
    ).A;
    expect(state.onHand).toBe(17);
  });

  it('sets only the reorder point, in order with the steps around it', () => {
    const start = { A: { ...EMPTY_STOCK, onHand: 20, committed: 2, unitCostCents: 800, reorderPoint: 4, name: 'A' } };
    const events: InventoryEvent[] = [
      { ...meta(), type: 'quantity_changed', sku: 'A', delta: -3 },
      { ...meta(), type: 'reorder_point_set', sku: 'A', reorderPoint: 25 },
      { ...meta(), type: 'quantity_changed', sku: 'A', delta: 1 },
    ];
    expect(foldStock(events).changes[0].ops.map((op) => op.kind)).toEqual(['add', 'reorder', 'add']);
    const state = run(events, start).A;
    expect(state).toMatchObject({ onHand: 18, committed: 2, unitCostCents: 800, reorderPoint: 25, name: 'A' });
    expect(toStockRow('A', 'main', state)).toMatchObject({ available: 16, belowReorderPoint: true });
  });

  it('discontinues a product removed without a quantity and re-activates it when added again', () => {
    const removed = run([added('A', 10), { ...meta(), type: 'product_removed', sku: 'A' }]).A;
    expect(removed).toMatchObject({ onHand: 0, active: false });
    expect(run([added('A', 4)], { A: removed }).A).toMatchObject({ onHand: 4, active: true });
  });

  it('averages the unit cost over restocks', () => {
    const state = run([
      added('A', 10, { unitCostCents: 100 }),
      { ...meta(), type: 'restock_received', sku: 'A', quantity: 30, unitCostCents: 200 },
    ]).A;
    expect(state).toMatchObject({ onHand: 40, unitCostCents: 175 });
  });

  it('keeps SKUs and locations apart and tracks the latest event time', () => {
    const { changes, maxEventTime } = foldStock([
      { ...meta(5_000), type: 'quantity_changed', sku: 'A', delta: 1 },
      { ...meta(9_000), type: 'quantity_changed', sku: 'A', delta: 1, location: 'north' },
      { ...meta(7_000), type: 'quantity_changed', sku: 'B', delta: 1 },
    ]);
    expect(changes.map((change) => `${change.sku}@${change.location}`)).toEqual(['A@main', 'A@north', 'B@main']);
    expect(maxEventTime).toBe(9_000);
  });
});

describe(movingAverageCost.name, () => {
  it('takes the received cost when nothing is on hand or no cost is known', () => {
    expect(movingAverageCost(0, 500, 10, 300)).toBe(300);
    expect(movingAverageCost(-2, 500, 10, 300)).toBe(300);
    expect(movingAverageCost(5, null, 10, 300)).toBe(300);
  });

  it('rounds half up to the cent', () => {
    expect(movingAverageCost(1, 100, 1, 101)).toBe(101); // 100.5 → 101
    expect(movingAverageCost(2, 100, 1, 101)).toBe(100); // 100.33 → 100
  });
});

describe(toStockRow.name, () => {
  it('reports money as decimal strings and flags the reorder point', () => {
    const row = toStockRow('A', 'main', {
      ...EMPTY_STOCK,
      onHand: 5,
      committed: 2,
      unitCostCents: 1234,
      reorderPoint: 3,
      lastEventAt: 0,
    });
    expect(row).toMatchObject({
      available: 3,
      unitCost: '12.34',
      stockValue: '61.70',
      belowReorderPoint: true,
      lastEventAt: '1970-01-01T00:00:00.000Z',
    });
  });
});

describe('foldStock sales cells', () => {
  const base = Date.parse('2011-01-04T10:00:00Z');
  const at = (offsetMs: number, source = 'web') => ({
    eventId: `s${++sequence}`,
    occurredAt: base + offsetMs,
    location: 'main',
    source,
  });
  const lines = [{ sku: 'A', quantity: 2, unitPriceCents: 250 }];

  it('counts orders, revenue and units per minute and source, and reverses them on cancel and return', () => {
    const sut = foldStock([
      { ...at(1_000), type: 'order_placed', orderId: 'O1', lines },
      { ...at(2_000, 'app'), type: 'order_placed', orderId: 'O2', lines },
      { ...at(61_000), type: 'order_cancelled', orderId: 'O1', lines },
      { ...at(62_000), type: 'order_returned', orderId: 'O3', lines: [{ sku: 'A', quantity: 1 }] },
    ]);
    expect(
      sut.sales.map((cell) => [
        cell.source,
        cell.minute - base,
        cell.orders,
        cell.revenueCents,
        cell.units,
        cell.events,
      ]),
    ).toEqual([
      ['web', 0, 1, 500, 2, 1],
      ['app', 0, 1, 500, 2, 1],
      // The unpriced return reverses its units here and its revenue at the stored price when applied.
      ['web', 60_000, 0, -500, -3, 2],
    ]);
    expect(sut.sales[2].skus.get('A')).toEqual({ units: -3, revenueCents: -500 });
  });

  it('carries shipped units per cell for COGS and demand, merged across consecutive steps', () => {
    const sut = foldStock([
      { ...at(1_000), type: 'order_fulfilled', orderId: 'O1', lines },
      { ...at(2_000), type: 'order_fulfilled', orderId: 'O2', lines },
      { ...at(3_000), type: 'order_returned', orderId: 'O1', lines: [{ sku: 'A', quantity: 1, unitPriceCents: 250 }] },
    ]);
    expect(sut.changes[0].ops).toEqual([
      { kind: 'add', onHand: -3, committed: -4, flows: { [`${base}\tweb`]: { shipped: 3, unpricedReversed: 0 } } },
    ]);
    expect(sut.changes[0].demand).toEqual({ [base]: 4 });
  });
});

import { foldStock } from './stock-fold';
import { applyStockOp, EMPTY_STOCK, StockState, toStockRow } from './stock-state';

function stock(overrides: Partial<StockState> = {}): StockState {
  return { ...EMPTY_STOCK, onHand: 10, committed: 2, name: 'Kettle', ...overrides };
}

describe(toStockRow.name, () => {
  it('reports the explicit reorder point when one is set, over a computed one', () => {
    const sut = toStockRow('A', 'main', stock({ reorderPoint: 5 }), 40);
    expect(sut).toMatchObject({
      available: 8,
      reorderPoint: 5,
      reorderPointSource: 'explicit',
      belowReorderPoint: false,
    });
  });

  it('falls back to the computed reorder point and flags the row below it, as the low-stock alert does', () => {
    const sut = toStockRow('A', 'main', stock(), 8);
    expect(sut).toMatchObject({
      available: 8,
      reorderPoint: 8,
      reorderPointSource: 'computed',
      belowReorderPoint: true,
    });
  });

  it('has no reorder point, and is never below one, when neither is known', () => {
    const sut = toStockRow('A', 'main', stock({ onHand: 0 }));
    expect(sut).toMatchObject({ reorderPoint: null, reorderPointSource: null, belowReorderPoint: false });
  });

  it('does not count an inactive SKU as below its reorder point, like the totals', () => {
    const sut = toStockRow('A', 'main', stock({ onHand: 0, committed: 0, active: false, reorderPoint: 5 }));
    expect(sut).toMatchObject({ reorderPoint: 5, reorderPointSource: 'explicit', belowReorderPoint: false });
  });
});

describe(applyStockOp.name, () => {
  it('changes only the catalog fields a product_updated gives, never stock', () => {
    const before = stock({ unitPriceCents: 1_000, unitCostCents: 400, reorderPoint: 3 });
    const sut = applyStockOp(before, { kind: 'catalog', name: 'Kettle 2 l', unitPriceCents: null, unitCostCents: 450 });
    expect(sut).toEqual({ ...before, name: 'Kettle 2 l', unitCostCents: 450 });
    expect(applyStockOp(before, { kind: 'catalog', name: null, unitPriceCents: null, unitCostCents: null })).toEqual(
      before,
    );
  });
});

describe(foldStock.name, () => {
  it('folds a product_updated into one catalog op at its location, with no sale and no stock change', () => {
    const sut = foldStock([
      {
        eventId: 'api-1',
        occurredAt: 60_000,
        location: 'north',
        source: 'api',
        type: 'product_updated',
        sku: 'A',
        name: 'Kettle 2 l',
        unitPriceCents: 2_450,
        category: 'Kitchen',
      },
    ]);
    expect(sut.changes).toEqual([
      expect.objectContaining({
        sku: 'A',
        location: 'north',
        ops: [{ kind: 'catalog', name: 'Kettle 2 l', unitPriceCents: 2_450, unitCostCents: null }],
      }),
    ]);
    expect(sut.sales.every((cell) => cell.units === 0 && cell.revenueCents === 0 && cell.orders === 0)).toBe(true);
  });
});

import { EMPTY_STOCK, StockState, toStockRow } from './stock-state';

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

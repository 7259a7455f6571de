import { describe, expect, it } from '@jest/globals';
import type { StockRow } from '@stockwall/contracts';
import { computeTotals, stockLevel } from './stock-rows';

function buildStockRow(overrides: Partial<StockRow> = {}): StockRow {
  return {
    sku: 'SKU-1',
    location: 'main',
    name: 'Lamp',
    onHand: 10,
    committed: 0,
    available: 10,
    unitCost: '4.00',
    stockValue: '40.00',
    reorderPoint: 3,
    reorderPointSource: 'explicit',
    belowReorderPoint: false,
    active: true,
    lastEventAt: '2024-06-01T08:00:00.000Z',
    ...overrides,
  };
}

describe(stockLevel.name, () => {
  it('is out for an active SKU with nothing available, low at or below its reorder point, ok above', () => {
    expect(stockLevel(buildStockRow({ available: 0, belowReorderPoint: true }))).toBe('out');
    expect(stockLevel(buildStockRow({ available: -2, belowReorderPoint: true }))).toBe('out');
    expect(stockLevel(buildStockRow({ available: 2, belowReorderPoint: true }))).toBe('low');
    expect(stockLevel(buildStockRow({ available: 9 }))).toBe('ok');
  });

  it('is discontinued for an inactive SKU, whatever is available', () => {
    expect(stockLevel(buildStockRow({ active: false, onHand: 0, available: 0 }))).toBe('discontinued');
    expect(stockLevel(buildStockRow({ active: false, available: 5 }))).toBe('discontinued');
  });
});

describe(computeTotals.name, () => {
  it('counts only active SKUs with nothing available as out of stock, as the server does', () => {
    const sut = computeTotals([
      buildStockRow({ sku: 'A', available: 0, onHand: 0, belowReorderPoint: true }),
      buildStockRow({ sku: 'B', available: -1, onHand: 1, committed: 2, belowReorderPoint: true }),
      // Discontinued: on hand went to 0 and the SKU is inactive.
      buildStockRow({ sku: 'C', available: 0, onHand: 0, active: false }),
      buildStockRow({ sku: 'D', available: 5, onHand: 5 }),
    ]);

    expect(sut.outOfStock).toBe(2);
    expect(sut.belowReorderPoint).toBe(2);
    expect(sut).toMatchObject({ skus: 4, lines: 4, locations: 1, unitsOnHand: 6 });
  });

  it('counts lines per location and distinct SKUs across locations', () => {
    const sut = computeTotals([
      buildStockRow({ sku: 'A', location: 'main', available: 0, onHand: 0 }),
      buildStockRow({ sku: 'A', location: 'north', available: 3, onHand: 3 }),
      buildStockRow({ sku: 'B', location: 'north', available: 0, onHand: 0, active: false }),
    ]);

    expect(sut).toEqual({ skus: 2, lines: 3, locations: 2, unitsOnHand: 3, belowReorderPoint: 0, outOfStock: 1 });
  });
});

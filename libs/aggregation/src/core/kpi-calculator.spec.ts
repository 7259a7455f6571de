import { computeKpis, divideRounded, EMPTY_WINDOW, rankTopSkus } from './kpi-calculator';

const totals = { units: 40, valueCents: 50_000, belowReorderPoint: 1, outOfStock: 1, active: 4 };

describe(computeKpis.name, () => {
  it('derives AOV, margin, turnover and stockout rates exactly from the sums', () => {
    const sut = computeKpis({
      window: '1h',
      source: 'web',
      watermark: Date.parse('2011-01-04T10:07:30Z'),
      sums: {
        ...EMPTY_WINDOW,
        orders: 3,
        revenueCents: 10_000,
        units: 7,
        cogsCents: 6_000,
        coveredMs: 60_000,
        outOfStockMs: 30_000,
        activeMs: 240_000,
        valueCentsMs: 60_000 * 40_000,
      },
      lateEvents: 2,
      overall: totals,
      locations: { main: totals },
    });
    expect(sut).toMatchObject({
      from: '2011-01-04T09:08:00.000Z',
      to: '2011-01-04T10:07:30.000Z',
      revenue: '100.00',
      averageOrderValue: '33.33',
      cogs: '60.00',
      grossMargin: '40.00',
      grossMarginRate: 0.4,
      averageInventoryValue: '400.00',
      inventoryTurnover: 0.15,
      stockoutRate: { now: 0.25, timeWeighted: 0.125 },
      lateEvents: 2,
    });
    expect(sut.stock.locations).toEqual([
      { location: 'main', units: 40, stockValue: '500.00', skusBelowReorderPoint: 1, skusOutOfStock: 1, activeSkus: 4 },
    ]);
  });

  it('answers an empty stream with zeros and nulls, never NaN', () => {
    const empty = { units: 0, valueCents: 0, belowReorderPoint: 0, outOfStock: 0, active: 0 };
    const sut = computeKpis({
      window: '1m',
      source: null,
      watermark: null,
      sums: EMPTY_WINDOW,
      lateEvents: 0,
      overall: empty,
      locations: {},
    });
    expect(sut).toMatchObject({ watermark: null, averageOrderValue: null, grossMarginRate: null });
    expect(sut.stockoutRate).toEqual({ now: null, timeWeighted: null });
  });
});

describe(divideRounded.name, () => {
  it('rounds half away from zero', () => {
    expect(divideRounded(5, 2)).toBe(3);
    expect(divideRounded(-5, 2)).toBe(-3);
    expect(divideRounded(10_000, 3)).toBe(3333);
  });
});

describe(rankTopSkus.name, () => {
  it('ranks by the figure, breaks ties by SKU and leaves out SKUs without sales', () => {
    const skus = [
      { sku: 'B', units: 5, revenueCents: 100 },
      { sku: 'A', units: 5, revenueCents: 300 },
      { sku: 'C', units: 0, revenueCents: -50 },
    ];
    expect(rankTopSkus(skus, 'units').map((entry) => entry.sku)).toEqual(['A', 'B']);
    expect(rankTopSkus(skus, 'revenueCents', 1)).toEqual([{ sku: 'A', units: 5, revenue: '3.00' }]);
  });
});

import { buildSeries, toSalesFigures } from './kpi-history';

describe(toSalesFigures.name, () => {
  it('derives AOV, COGS and margin in exact cents', () => {
    const sut = toSalesFigures({ events: 3, orders: 3, units: 4, revenueCents: 1000, shipped: 4, cogsCents: 401 });
    expect(sut).toEqual({
      orders: 3,
      units: 4,
      revenue: '10.00',
      averageOrderValue: '3.33',
      cogs: '4.01',
      grossMargin: '5.99',
      grossMarginRate: 0.599,
    });
  });

  it('has no AOV or margin rate without orders or revenue', () => {
    const sut = toSalesFigures({ events: 1, orders: 0, units: -1, revenueCents: -250, shipped: -1, cogsCents: -100 });
    expect(sut).toMatchObject({
      averageOrderValue: null,
      grossMarginRate: null,
      revenue: '-2.50',
      grossMargin: '-1.50',
    });
  });
});

describe(buildSeries.name, () => {
  it('fills every interval between from and to, with zeros where nothing sold', () => {
    const hour = 3_600_000;
    const sums = new Map([[hour, { events: 1, orders: 1, units: 2, revenueCents: 500, shipped: 0, cogsCents: 0 }]]);
    const sut = buildSeries(0, 3 * hour, hour, sums);
    expect(sut.map((point) => [point.from, point.orders, point.revenue])).toEqual([
      ['1970-01-01T00:00:00.000Z', 0, '0.00'],
      ['1970-01-01T01:00:00.000Z', 1, '5.00'],
      ['1970-01-01T02:00:00.000Z', 0, '0.00'],
    ]);
  });
});

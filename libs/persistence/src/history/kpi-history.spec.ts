import { customersPerBucket, salesPerBucket, toSalesFigures } from './kpi-history';

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

describe(salesPerBucket.name, () => {
  it('sums rollup rows into their buckets and leaves empty buckets at zero', () => {
    const hour = 3_600_000;
    const row = (orders: number, revenueCents: number) => ({
      events: 1,
      orders,
      units: 2,
      revenueCents,
      shipped: 0,
      cogsCents: 0,
    });
    const buckets = [0, 1, 2].map((index) => ({ start: index * 2 * hour, end: (index + 1) * 2 * hour }));
    const sut = salesPerBucket(
      buckets,
      new Map([
        [0, row(1, 500)],
        [hour, row(2, 250)],
        [5 * hour, row(1, 1)],
        [7 * hour, row(9, 9)],
      ]),
    );
    expect(sut.map((sums) => [sums.orders, sums.revenueCents])).toEqual([
      [3, 750],
      [0, 0],
      [1, 1],
    ]);
  });
});

describe(customersPerBucket.name, () => {
  it('counts a customer new in the bucket of their first order and returning in later ones, once per bucket', () => {
    const buckets = [
      { start: 0, end: 10 },
      { start: 10, end: 20 },
      { start: 20, end: 30 },
    ];
    const order = (customerHash: string, at: number) => ({ customerHash, at, revenueCents: 100 });
    const orders = [order('a', 1), order('a', 2), order('before', 3), order('b', 12), order('a', 15), order('a', 16)];
    const firstOrders = new Map([
      ['before', -5],
      ['a', 1],
      ['b', 12],
    ]);
    const sut = customersPerBucket(buckets, [...orders, order('after', 40)], firstOrders);
    expect(sut).toEqual([
      { newCustomers: 1, returningCustomers: 1 },
      { newCustomers: 1, returningCustomers: 1 },
      { newCustomers: 0, returningCustomers: 0 },
    ]);
  });

  it('counts a customer missing from the first orders from their earliest order given', () => {
    const buckets = [
      { start: 0, end: 10 },
      { start: 10, end: 20 },
    ];
    const order = (customerHash: string, at: number) => ({ customerHash, at, revenueCents: 100 });
    const sut = customersPerBucket(buckets, [order('c', 15), order('c', 5)], new Map());
    expect(sut).toEqual([
      { newCustomers: 1, returningCustomers: 0 },
      { newCustomers: 0, returningCustomers: 1 },
    ]);
  });
});

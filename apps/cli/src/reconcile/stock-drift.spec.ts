import { findStockDrift, findWindowDrift } from './stock-drift';

describe(findStockDrift.name, () => {
  it('reports differing, live-only and stored-only rows and nothing for equal ones', () => {
    const sut = findStockDrift(
      [
        { sku: 'A', location: 'main', onHand: 5, committed: 1 },
        { sku: 'B', location: 'main', onHand: 2, committed: 0 },
        { sku: 'C', location: 'main', onHand: 1, committed: 0 },
      ],
      [
        { sku: 'A', location: 'main', onHand: 5, committed: 1 },
        { sku: 'B', location: 'main', onHand: 3, committed: 0 },
        { sku: 'D', location: 'north', onHand: 4, committed: 0 },
      ],
    );
    expect(sut.map((drift) => [drift.what, drift.live, drift.stored])).toEqual([
      ['stock B@main', 'onHand 2, committed 0', 'onHand 3, committed 0'],
      ['stock C@main', 'onHand 1, committed 0', 'absent'],
      ['stock D@north', 'absent', 'onHand 4, committed 0'],
    ]);
  });
});

describe(findWindowDrift.name, () => {
  it('names each field that differs', () => {
    const live = { orders: 2, revenueCents: 500, units: 3, cogsCents: 120 };
    expect(findWindowDrift('1h', live, { ...live })).toEqual([]);
    expect(findWindowDrift('1h', live, { ...live, cogsCents: 121 })).toEqual([
      { what: 'window 1h cogsCents', live: '120', stored: '121' },
    ]);
  });
});

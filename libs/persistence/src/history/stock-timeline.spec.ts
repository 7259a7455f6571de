import { integrateStock, stockFigures, type CatalogChange, type StockStep } from './stock-timeline';

const H = 3_600_000;
const step = (sku: string, at: number, onHand: number, committed = 0): StockStep => ({
  sku,
  location: 'main',
  at,
  onHand,
  committed,
});
const catalog = (entries: Record<string, CatalogChange[]>) =>
  new Map(Object.entries(entries).map(([sku, changes]) => [`main\u0000${sku}`, changes]));

describe(integrateStock.name, () => {
  const buckets = [
    { start: 0, end: 2 * H },
    { start: 2 * H, end: 4 * H },
  ];

  it('weights stock value and stockouts by the time they lasted in each bucket', () => {
    // A: 10 units at 1.00 from before the range, sold out at 1 h, back to 5 at 3 h.
    // B: defined at 2 h with 4 units at 2.50, discontinued at 3 h.
    const sut = integrateStock(
      [step('A', -H, 10), step('A', H, 0), step('A', 3 * H, 5), step('B', 2 * H, 4), step('B', 3 * H, 0)],
      catalog({
        A: [{ kind: 'defined', at: -H, unitCostCents: 100 }],
        B: [
          { kind: 'defined', at: 2 * H, unitCostCents: 250 },
          { kind: 'discontinued', at: 3 * H },
        ],
      }),
      buckets,
      4 * H,
    );
    expect(sut[0]).toEqual({
      valueCentMs: 1000n * BigInt(H),
      outOfStockSkuMs: H,
      activeSkuMs: 2 * H,
      coveredMs: 2 * H,
    });
    expect(sut[1]).toEqual({
      valueCentMs: 500n * BigInt(H) + 1000n * BigInt(H),
      outOfStockSkuMs: H,
      activeSkuMs: 2 * H + H,
      coveredMs: 2 * H,
    });
    expect(stockFigures(sut[0], 250)).toEqual({
      averageInventoryValueCents: 500,
      inventoryTurnover: 0.5,
      stockoutRate: 0.5,
    });
  });

  it('costs a restock at the moving average and stops at the horizon', () => {
    const sut = integrateStock(
      [step('A', 0, 10), step('A', H, 20)],
      catalog({
        A: [
          { kind: 'defined', at: 0, unitCostCents: 100 },
          { kind: 'restocked', at: H, onHandAfter: 20, quantity: 10, unitCostCents: 201 },
        ],
      }),
      buckets,
      3 * H,
    );
    // 10 × 1.00 for 1 h, then 20 × 1.51 (half up of 1.505).
    expect(sut[0].valueCentMs).toBe(1000n * BigInt(H) + 3020n * BigInt(H));
    expect(sut[1]).toMatchObject({ valueCentMs: 3020n * BigInt(H), coveredMs: H });
    expect(stockFigures(sut[1], 0)).toMatchObject({ averageInventoryValueCents: 3020, inventoryTurnover: 0 });
  });

  it('counts a SKU with units on hand but all committed as out of stock, and has no figures without SKUs', () => {
    const sut = integrateStock([step('A', 0, 3, 3)], new Map(), buckets, 4 * H);
    expect(sut[0]).toMatchObject({ outOfStockSkuMs: 2 * H, activeSkuMs: 2 * H, valueCentMs: 0n });
    expect(stockFigures(integrateStock([], new Map(), buckets, 4 * H)[0], 100)).toEqual({
      averageInventoryValueCents: 0,
      inventoryTurnover: null,
      stockoutRate: null,
    });
  });
});

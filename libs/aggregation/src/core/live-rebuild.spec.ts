import { DAY_MS, recordDemand, EMPTY_DEMAND } from './forecast';
import { DEFAULT_AGGREGATION_SETTINGS } from './aggregation-settings';
import {
  NO_HISTORY,
  planCheckpoints,
  planStockHash,
  planWindowBuckets,
  RebuildStockRow,
  rebuildVersion,
  rebuildWatermark,
  StockTotalsPlan,
  supplierLeadTimesOf,
  windowRebuildFrom,
} from './live-rebuild';

const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;
const T0 = Date.UTC(2011, 10, 9, 12, 0, 0);

function stockRow(overrides: Partial<RebuildStockRow> = {}): RebuildStockRow {
  return {
    sku: 'P1',
    location: 'main',
    name: 'Mug',
    onHand: 40,
    committed: 5,
    unitCostCents: 120,
    unitPriceCents: 250,
    reorderPoint: 10,
    active: true,
    lastEventAt: T0,
    ...overrides,
  };
}

describe(planStockHash.name, () => {
  const settings = { ...DEFAULT_AGGREGATION_SETTINGS };

  it('writes the stock fields as the apply does, with alerts armed above the reorder point', () => {
    const sut = planStockHash(stockRow(), NO_HISTORY, settings);

    expect(sut.fields).toEqual({
      on: '40',
      cm: '5',
      uc: '120',
      up: '250',
      rp: '10',
      ac: '1',
      nm: 'Mug',
      le: String(T0),
      la: '0',
      os: '',
    });
    expect(sut.contribution).toEqual({ units: 40, valueCents: 4_800, below: false, out: false, active: true });
  });

  it('leaves unknown values empty and values negative stock at nothing', () => {
    const sut = planStockHash(
      stockRow({
        name: null,
        onHand: -3,
        committed: 0,
        unitCostCents: null,
        unitPriceCents: null,
        reorderPoint: null,
        lastEventAt: null,
      }),
      NO_HISTORY,
      settings,
    );

    expect(sut.fields).toMatchObject({ on: '-3', uc: '', up: '', rp: '', nm: '', le: '0', la: '0', os: '0' });
    expect(sut.contribution).toEqual({ units: -3, valueCents: 0, below: false, out: true, active: true });
  });

  it('marks low stock and the stockout as already raised, out since the stockout began', () => {
    const since = T0 - 3_600_000;
    const sut = planStockHash(
      stockRow({ onHand: 5, committed: 5 }),
      { ...NO_HISTORY, outOfStockSince: since },
      settings,
    );

    expect(sut.fields.la).toBe('1');
    expect(sut.fields.os).toBe(String(since));
    expect(sut.contribution).toMatchObject({ below: true, out: true });
  });

  it('gives a discontinued SKU no alert state and no active count', () => {
    const sut = planStockHash(stockRow({ onHand: 0, committed: 0, active: false }), NO_HISTORY, settings);

    expect(sut.fields).toMatchObject({ ac: '0', la: '0', os: '' });
    expect(sut.contribution).toEqual({ units: 0, valueCents: 0, below: false, out: false, active: false });
  });

  it('replays the shipped units through the forecast in time order and computes the reorder point', () => {
    const demand: [number, number][] = [];
    for (let day = 0; day < 9; day++) demand.push([T0 - (9 - day) * DAY_MS, day % 2 === 0 ? 4 : 2]);
    demand.push([T0, 3]);
    const expected = demand.reduce(
      (state, [minute, units]) => recordDemand(state, minute, units, settings.sellRateDecayMs),
      { ...EMPTY_DEMAND },
    );

    const sut = planStockHash(
      stockRow({ reorderPoint: null }),
      { demand, supplierLeadTimeDays: 16, outOfStockSince: null },
      settings,
    );

    expect(sut.fields).toMatchObject({
      sr: String(expected.rate),
      st: String(T0),
      dd: String(Math.floor(T0 / DAY_MS)),
      dq: '3',
      dn: '9',
      ds: String(expected.sum),
      d2: String(expected.sumOfSquares),
      lt: '16',
    });
    expect(Number(sut.fields.sr)).toBeGreaterThan(0);
    // Mean 2.89/day over 16 days plus safety stock: well above the 35 available, so low stock is raised.
    expect(Number(sut.fields.rc)).toBeGreaterThan(46);
    expect(sut.fields.la).toBe('1');
    expect(sut.contribution.below).toBe(true);
  });

  it('uses the default lead time when the supplier has none, and an explicit point over the computed one', () => {
    const demand: [number, number][] = Array.from({ length: 8 }, (_, day) => [T0 - (8 - day) * DAY_MS, 1]);

    const computedOnly = planStockHash(
      stockRow({ reorderPoint: null }),
      { ...NO_HISTORY, demand },
      { ...settings, defaultLeadTimeDays: 10 },
    );
    const explicit = planStockHash(
      stockRow({ reorderPoint: 50 }),
      { ...NO_HISTORY, demand },
      { ...settings, defaultLeadTimeDays: 10 },
    );
    const noLeadTime = planStockHash(stockRow({ reorderPoint: null }), { ...NO_HISTORY, demand }, settings);

    // Seven completed days of one unit each (the eighth is still open): 1/day × 10 days, no variance.
    expect(computedOnly.fields.dn).toBe('7');
    expect(computedOnly.fields.rc).toBe('10');
    expect(computedOnly.fields.lt).toBeUndefined();
    expect(explicit.fields.la).toBe('1');
    expect(noLeadTime.fields.rc).toBeUndefined();
  });
});

describe(StockTotalsPlan.name, () => {
  it('sums units, value, below, out and active per location and overall, leaving zeros out', () => {
    const sut = new StockTotalsPlan();
    sut.add('main', { units: 10, valueCents: 1_000, below: true, out: false, active: true });
    sut.add('main', { units: -2, valueCents: 0, below: true, out: true, active: true });
    sut.add('north', { units: 0, valueCents: 0, below: false, out: false, active: false });

    expect(sut.fields()).toEqual({
      'main:units': '8',
      'main:val': '1000',
      'main:below': '2',
      'main:out': '1',
      'main:act': '2',
      '*:units': '8',
      '*:val': '1000',
      '*:below': '2',
      '*:out': '1',
      '*:act': '2',
    });
  });
});

describe(planWindowBuckets.name, () => {
  const lateness = 5 * MINUTE;

  it('builds minute and quarter buckets per source and for all sources, with the top-SKU sums', () => {
    const watermark = T0 + 20 * MINUTE + 30_000;
    const sut = planWindowBuckets(
      [
        { minute: T0 + 2 * MINUTE, source: 'web', orders: 2, revenueCents: 900, units: 3, cogsCents: 400, events: 4 },
        { minute: T0 + 2 * MINUTE, source: 'shop', orders: 1, revenueCents: 100, units: 1, cogsCents: 50, events: 2 },
        { minute: T0 + 16 * MINUTE, source: 'web', orders: 0, revenueCents: -300, units: -1, cogsCents: 0, events: 1 },
      ],
      [
        { minute: T0 + 2 * MINUTE, source: 'web', sku: 'A', units: 3, revenueCents: 900 },
        { minute: T0 + 2 * MINUTE, source: 'shop', sku: 'A', units: 1, revenueCents: 100 },
        { minute: T0 + 16 * MINUTE, source: 'web', sku: 'B', units: -1, revenueCents: -300 },
        { minute: T0 + 16 * MINUTE, source: 'web', sku: 'C', units: 0, revenueCents: 0 },
      ],
      watermark,
      lateness,
    );

    const find = (bucketMs: number, source: string, start: number) =>
      sut.find((bucket) => bucket.bucketMs === bucketMs && bucket.source === source && bucket.start === start);
    expect(sut).toHaveLength(3 * 2 + 2 * 2);
    expect(find(MINUTE, '*', T0 + 2 * MINUTE)).toMatchObject({
      orders: 3,
      revenueCents: 1_000,
      units: 4,
      cogsCents: 450,
      events: 6,
      skuUnits: new Map([['A', 4]]),
      skuRevenue: new Map([['A', 1_000]]),
    });
    expect(find(QUARTER, 'web', T0)).toMatchObject({ orders: 2, revenueCents: 900, units: 3, events: 4 });
    expect(find(QUARTER, 'web', T0 + QUARTER)).toMatchObject({
      revenueCents: -300,
      units: -1,
      skuUnits: new Map([['B', -1]]),
      skuRevenue: new Map([['B', -300]]),
    });
    expect(find(MINUTE, 'shop', T0 + 16 * MINUTE)).toBeUndefined();
  });

  it('creates no bucket the apply would already have dropped', () => {
    const watermark = T0 + 2 * DAY_MS;
    const from = windowRebuildFrom(watermark, lateness);
    const old = { source: 'web', orders: 1, revenueCents: 100, units: 1, cogsCents: 0, events: 1 };

    const sut = planWindowBuckets(
      [
        { ...old, minute: from - MINUTE },
        { ...old, minute: from },
      ],
      [],
      watermark,
      lateness,
    );

    expect(from).toBe(watermark - 24 * 3_600_000 - QUARTER - lateness);
    expect(sut.every((bucket) => bucket.start >= from)).toBe(true);
    expect(sut.filter((bucket) => bucket.bucketMs === MINUTE).map((bucket) => bucket.start)).toEqual([from, from]);
  });
});

describe('rebuild positions, watermark and version', () => {
  it('caps the watermark at the wall clock', () => {
    expect(rebuildWatermark(T0, T0 + 1)).toBe(T0);
    expect(rebuildWatermark(T0 + 10, T0)).toBe(T0);
    expect(rebuildWatermark(null, T0)).toBeNull();
  });

  it('restarts the version above every version still known', () => {
    expect(rebuildVersion([null])).toBe(1);
    expect(rebuildVersion([41, 57, null])).toBe(58);
  });

  it('checkpoints each shard at its persisted position and skips shards with none', () => {
    const sut = planCheckpoints([
      { shardId: 'shardId-000000000000', sequenceNumber: '4960', subSequence: 3 },
      { shardId: 'shardId-000000000001', sequenceNumber: null, subSequence: 0 },
    ]);

    expect([...sut]).toEqual([['shardId-000000000000', { seq: '4960', sub: '3' }]]);
  });

  it('keeps the lead time of the latest restock whose supplier has one on record', () => {
    const sut = supplierLeadTimesOf(
      [
        { sku: 'A', location: 'main', supplierId: '480' },
        { sku: 'A', location: 'main', supplierId: 'unknown' },
        { sku: 'B', location: 'main', supplierId: '480' },
        { sku: 'B', location: 'main', supplierId: '516' },
      ],
      new Map([
        ['480', 16],
        ['516', 9.5],
      ]),
    );

    expect(sut.get('main\u0000A')).toBe(16);
    expect(sut.get('main\u0000B')).toBe(9.5);
  });
});

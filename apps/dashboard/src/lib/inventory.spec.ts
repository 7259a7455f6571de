import { describe, expect, it } from '@jest/globals';
import type { StockRow } from '@stockwall/contracts';
import {
  DEFAULT_FILTERS,
  filterRows,
  inventoryCsv,
  inventorySearch,
  inventoryView,
  locationsOf,
  matchingRows,
  pageOf,
  readInventoryFilters,
  rowKey,
  sortRows,
} from './inventory';

function aRow(overrides: Partial<StockRow> = {}): StockRow {
  const available = overrides.available ?? 20;
  return {
    sku: 'SKU-1',
    location: 'main',
    name: 'Travel Mug',
    onHand: available,
    committed: 0,
    available,
    unitCost: '5.00',
    stockValue: '100.00',
    reorderPoint: 10,
    reorderPointSource: 'explicit',
    belowReorderPoint: available <= 10,
    active: true,
    lastEventAt: null,
    ...overrides,
  };
}

const rows = [
  aRow({ sku: 'MUG-1', name: 'Travel Mug', available: 30 }),
  aRow({ sku: 'MUG-1', location: 'north', name: 'Travel Mug', available: 0, belowReorderPoint: true }),
  aRow({ sku: 'LAMP-2', name: 'bamboo lamp', available: 8, belowReorderPoint: true }),
  aRow({ sku: 'KET-3', name: null, available: 12 }),
];

describe(filterRows.name, () => {
  it('finds by SKU or name in any case', () => {
    expect(filterRows(rows, { ...DEFAULT_FILTERS, search: 'mug' }).map(rowKey)).toEqual([
      'MUG-1\tmain',
      'MUG-1\tnorth',
    ]);
    expect(filterRows(rows, { ...DEFAULT_FILTERS, search: ' lamp-2 ' }).map((row) => row.sku)).toEqual(['LAMP-2']);
  });

  it('narrows to a location, below the reorder point, out of stock', () => {
    expect(filterRows(rows, { ...DEFAULT_FILTERS, location: 'north' })).toHaveLength(1);
    expect(filterRows(rows, { ...DEFAULT_FILTERS, belowReorderPoint: true }).map((row) => row.sku)).toEqual([
      'MUG-1',
      'LAMP-2',
    ]);
    expect(filterRows(rows, { ...DEFAULT_FILTERS, outOfStock: true }).map(rowKey)).toEqual(['MUG-1\tnorth']);
  });
});

describe(sortRows.name, () => {
  it('sorts by available, fewest first', () => {
    expect(sortRows(rows, 'available').map((row) => row.available)).toEqual([0, 8, 12, 30]);
  });

  it('sorts by projected run-out, unknown last', () => {
    const runOut = new Map([
      ['KET-3\tmain', '2026-01-02T00:00:00Z'],
      ['LAMP-2\tmain', '2026-01-01T00:00:00Z'],
      ['MUG-1\tmain', null],
    ]);
    expect(sortRows(rows, 'run-out', runOut).map(rowKey)).toEqual([
      'LAMP-2\tmain',
      'KET-3\tmain',
      'MUG-1\tmain',
      'MUG-1\tnorth',
    ]);
  });

  it('sorts by name, the SKU standing in for a missing one', () => {
    expect(sortRows(rows, 'name').map((row) => row.name ?? row.sku)).toEqual([
      'bamboo lamp',
      'KET-3',
      'Travel Mug',
      'Travel Mug',
    ]);
  });
});

describe(matchingRows.name, () => {
  it('filters, then sorts as the filters say', () => {
    const filters = { ...DEFAULT_FILTERS, belowReorderPoint: true, sort: 'name' as const };
    expect(matchingRows(rows, filters).map(rowKey)).toEqual(['LAMP-2\tmain', 'MUG-1\tnorth']);
    expect(matchingRows(rows, { ...filters, sort: 'available' }).map(rowKey)).toEqual(['MUG-1\tnorth', 'LAMP-2\tmain']);
  });
});

describe(inventoryView.name, () => {
  it('pages the matching rows and lists every location', () => {
    const view = inventoryView(rows, { ...DEFAULT_FILTERS, search: 'mug', page: 2 });
    expect(view.matching.map(rowKey)).toEqual(['MUG-1\tnorth', 'MUG-1\tmain']);
    expect(view.shown).toMatchObject({ page: 1, pages: 1, total: 2 });
    expect(view.locations).toEqual(['main', 'north']);
  });
});

describe(pageOf.name, () => {
  it('cuts pages and keeps a page past the end on the last', () => {
    const numbers = Array.from({ length: 52 }, (_, index) => index);
    expect(pageOf(numbers, 1, 25)).toMatchObject({ page: 1, pages: 3, total: 52 });
    expect(pageOf(numbers, 3, 25).rows).toEqual([50, 51]);
    expect(pageOf(numbers, 9, 25).page).toBe(3);
    expect(pageOf([], 1, 25)).toEqual({ rows: [], page: 1, pages: 1, total: 0 });
  });
});

describe(readInventoryFilters.name, () => {
  it('reads back what inventorySearch writes', () => {
    const filters = {
      search: 'mug',
      location: 'north',
      belowReorderPoint: true,
      outOfStock: true,
      sort: 'name' as const,
      page: 3,
    };
    expect(readInventoryFilters(inventorySearch(filters))).toEqual(filters);
    expect(inventorySearch(DEFAULT_FILTERS)).toBe('');
  });

  it('falls back to the defaults for unknown values', () => {
    expect(readInventoryFilters('?sort=price&page=-2')).toEqual(DEFAULT_FILTERS);
  });
});

describe(inventoryCsv.name, () => {
  it('writes a header and one quoted-where-needed line per row', () => {
    const csv = inventoryCsv(
      [aRow({ sku: 'A', name: 'Mug, "big"', available: 3 }), aRow({ sku: 'B', name: '=cmd()', reorderPoint: null })],
      new Map([['A\tmain', '2026-01-01T00:00:00.000Z']]),
    );
    expect(csv.split('\r\n')).toEqual([
      'sku,name,location,onHand,committed,available,reorderPoint,belowReorderPoint,projectedRunOutAt',
      'A,"Mug, ""big""",main,3,0,3,10,true,2026-01-01T00:00:00.000Z',
      "B,'=cmd(),main,20,0,20,,false,",
      '',
    ]);
  });
});

describe(locationsOf.name, () => {
  it('lists each location once, sorted', () => {
    expect(locationsOf(rows)).toEqual(['main', 'north']);
  });
});

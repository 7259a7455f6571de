import type { StockRow } from '@stockwall/contracts';

export const INVENTORY_SORTS = ['available', 'run-out', 'name'] as const;
export type InventorySort = (typeof INVENTORY_SORTS)[number];

export interface InventoryFilters {
  search: string;
  /** '' for every location. */
  location: string;
  belowReorderPoint: boolean;
  outOfStock: boolean;
  sort: InventorySort;
  page: number;
}

export const INVENTORY_PAGE_SIZE = 25;

export const DEFAULT_FILTERS: InventoryFilters = {
  search: '',
  location: '',
  belowReorderPoint: false,
  outOfStock: false,
  sort: 'available',
  page: 1,
};

/** Filters from the address bar (`?q=&location=&below=1&out=1&sort=&page=`), so a view can be shared. */
export function readInventoryFilters(search: string): InventoryFilters {
  const params = new URLSearchParams(search);
  const sort = params.get('sort');
  const page = Number(params.get('page'));
  return {
    search: params.get('q') ?? '',
    location: params.get('location') ?? '',
    belowReorderPoint: params.get('below') === '1',
    outOfStock: params.get('out') === '1',
    sort: (INVENTORY_SORTS as readonly string[]).includes(sort ?? '') ? (sort as InventorySort) : 'available',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export function inventorySearch(filters: InventoryFilters): string {
  const params = new URLSearchParams();
  if (filters.search.trim()) params.set('q', filters.search.trim());
  if (filters.location) params.set('location', filters.location);
  if (filters.belowReorderPoint) params.set('below', '1');
  if (filters.outOfStock) params.set('out', '1');
  if (filters.sort !== 'available') params.set('sort', filters.sort);
  if (filters.page > 1) params.set('page', String(filters.page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function rowKey(row: Pick<StockRow, 'sku' | 'location'>): string {
  return `${row.sku}\t${row.location}`;
}

/** Rows matching the search (SKU or name, any case) and the filters. */
export function filterRows<T extends StockRow>(rows: readonly T[], filters: InventoryFilters): T[] {
  const needle = filters.search.trim().toLowerCase();
  return rows.filter(
    (row) =>
      (!needle || row.sku.toLowerCase().includes(needle) || (row.name ?? '').toLowerCase().includes(needle)) &&
      (!filters.location || row.location === filters.location) &&
      (!filters.belowReorderPoint || row.belowReorderPoint) &&
      (!filters.outOfStock || row.available <= 0),
  );
}

/**
 * Rows in the chosen order, SKU then location breaking ties: fewest available first; soonest run-out
 * first (rows without a projected run-out last); or by name (SKU when there is none).
 */
export function sortRows<T extends StockRow>(
  rows: readonly T[],
  sort: InventorySort,
  runOutAt: ReadonlyMap<string, string | null> = new Map(),
): T[] {
  const tie = (a: StockRow, b: StockRow) => a.sku.localeCompare(b.sku) || a.location.localeCompare(b.location);
  const time = (row: StockRow) => {
    const at = runOutAt.get(rowKey(row));
    const ms = at ? Date.parse(at) : NaN;
    return Number.isNaN(ms) ? Infinity : ms;
  };
  const compare: Record<InventorySort, (a: StockRow, b: StockRow) => number> = {
    available: (a, b) => a.available - b.available,
    'run-out': (a, b) => {
      const [left, right] = [time(a), time(b)];
      return left === right ? 0 : left < right ? -1 : 1;
    },
    name: (a, b) => (a.name ?? a.sku).localeCompare(b.name ?? b.sku, 'en', { sensitivity: 'base' }),
  };
  return [...rows].sort((a, b) => compare[sort](a, b) || tie(a, b));
}

/** The rows the filters let through, in the order they choose: what the table pages through and the CSV holds. */
export function matchingRows<T extends StockRow>(
  rows: readonly T[],
  filters: InventoryFilters,
  runOutAt: ReadonlyMap<string, string | null> = new Map(),
): T[] {
  return sortRows(filterRows(rows, filters), filters.sort, runOutAt);
}

export interface RowPage<T> {
  rows: T[];
  page: number;
  pages: number;
  total: number;
}

/** One page of rows; a page past the end shows the last. */
export function pageOf<T>(rows: readonly T[], page: number, size = INVENTORY_PAGE_SIZE): RowPage<T> {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const current = Math.min(Math.max(1, page), pages);
  return { rows: rows.slice((current - 1) * size, current * size), page: current, pages, total: rows.length };
}

/** The distinct locations of the rows, sorted. */
export function locationsOf(rows: readonly StockRow[]): string[] {
  return [...new Set(rows.map((row) => row.location))].sort();
}

export interface InventoryView<T> {
  /** The rows the filters let through, in their order (what the CSV export holds). */
  matching: T[];
  /** The page of them the filters ask for. */
  shown: RowPage<T>;
  /** Every location of the rows, filtered or not. */
  locations: string[];
}

/** What the inventory page shows of the rows under the filters. */
export function inventoryView<T extends StockRow>(
  rows: readonly T[],
  filters: InventoryFilters,
  runOutAt: ReadonlyMap<string, string | null> = new Map(),
): InventoryView<T> {
  const matching = matchingRows(rows, filters, runOutAt);
  return { matching, shown: pageOf(matching, filters.page), locations: locationsOf(rows) };
}

function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  // A leading =, +, - or @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const INVENTORY_CSV_COLUMNS = [
  'sku',
  'name',
  'location',
  'onHand',
  'committed',
  'available',
  'reorderPoint',
  'belowReorderPoint',
  'projectedRunOutAt',
] as const;

/** The rows as CSV (RFC 4180, CRLF), with their projected run-out where known. */
export function inventoryCsv(rows: readonly StockRow[], runOutAt: ReadonlyMap<string, string | null>): string {
  const lines = [INVENTORY_CSV_COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(
      [
        row.sku,
        row.name,
        row.location,
        row.onHand,
        row.committed,
        row.available,
        row.reorderPoint,
        row.belowReorderPoint,
        runOutAt.get(rowKey(row)) ?? null,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

import { startOfLocalDay, type KpiHistoryBucket } from '@stockwall/contracts';

/** The filters of the reports page, as its address carries them (`/reports?from=…&to=…&interval=…&tz=…`). */
export interface ReportFilters {
  /** First day (YYYY-MM-DD, in `tz`). */
  from: string;
  /** Last day, inclusive (YYYY-MM-DD, in `tz`). */
  to: string;
  interval: ReportInterval;
  tz: string;
  location: string;
}

export const REPORT_INTERVALS = ['1h', '1d', '1w', '1mo'] as const;
export type ReportInterval = (typeof REPORT_INTERVALS)[number];

/** One bucket of `GET /api/v1/kpis/history`. */
export type KpiBucket = KpiHistoryBucket;

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The browser's zone, else UTC. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** Filters from the address, with defaults: the last 28 days by day in the browser's zone. */
export function readReportFilters(search: string, now: number, defaultZone: string): ReportFilters {
  const params = new URLSearchParams(search);
  const date = (name: string, fallback: string) => {
    const value = params.get(name) ?? '';
    return DATE.test(value) && !Number.isNaN(Date.parse(value)) ? value : fallback;
  };
  const to = date('to', isoDate(now));
  const from = date('from', isoDate(Date.parse(to) - 27 * DAY_MS));
  const interval = params.get('interval') as ReportInterval | null;
  return {
    from: from <= to ? from : to,
    to,
    interval: interval && REPORT_INTERVALS.includes(interval) ? interval : '1d',
    tz: params.get('tz') || defaultZone,
    location: params.get('location') ?? '',
  };
}

/** The address of the filters (for the history, and to share a view). */
export function reportSearch(filters: ReportFilters): string {
  const params = new URLSearchParams({
    from: filters.from,
    to: filters.to,
    interval: filters.interval,
    tz: filters.tz,
  });
  if (filters.location) params.set('location', filters.location);
  return `?${params.toString()}`;
}

/** The range the API is asked for: from the zone's midnight of `from` to the one after `to`. */
export function apiRange(filters: ReportFilters): { from: string; to: string } {
  const start = zoneMidnight(filters.from, filters.tz);
  const end = zoneMidnight(isoDate(Date.parse(filters.to) + DAY_MS), filters.tz);
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

/** The period of the same length right before (for the overlay). */
export function previousRange(range: { from: string; to: string }): { from: string; to: string } {
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  return { from: new Date(from - (to - from)).toISOString(), to: range.from };
}

function zoneMidnight(date: string, timeZone: string): number {
  const [year, month, day] = date.split('-').map(Number);
  try {
    return startOfLocalDay(year, month, day, timeZone);
  } catch {
    return Date.parse(`${date}T00:00:00Z`);
  }
}

/**
 * uPlot columns of the sales trend: bucket start (s), revenue this period and revenue of the previous
 * period's bucket at the same position (null where it has none).
 */
export function trendColumns(current: readonly KpiBucket[], previous: readonly KpiBucket[]): (number | null)[][] {
  return [
    current.map((bucket) => Date.parse(bucket.from) / 1000),
    current.map((bucket) => Number(bucket.revenue)),
    current.map((_, index) => (index < previous.length ? Number(previous[index].revenue) : null)),
  ];
}

/** uPlot columns of the stock trend: bucket start (s), inventory turnover and the stockout rate in percent. */
export function stockColumns(current: readonly KpiBucket[]): (number | null)[][] {
  return [
    current.map((bucket) => Date.parse(bucket.from) / 1000),
    current.map((bucket) => bucket.inventoryTurnover),
    current.map((bucket) => (bucket.stockoutRate === null ? null : Math.round(bucket.stockoutRate * 1000) / 10)),
  ];
}

/** Sums of a period: revenue (cents), orders and customers. */
export function periodTotals(buckets: readonly KpiBucket[]) {
  return buckets.reduce(
    (total, bucket) => ({
      revenueCents: total.revenueCents + Math.round(Number(bucket.revenue) * 100),
      orders: total.orders + bucket.orders,
      newCustomers: total.newCustomers + bucket.newCustomers,
    }),
    { revenueCents: 0, orders: 0, newCustomers: 0 },
  );
}

/** The change from `before` to `now` in percent, one decimal; null without a base. */
export function changePercent(now: number, before: number): number | null {
  return before === 0 ? null : Math.round(((now - before) / Math.abs(before)) * 1000) / 10;
}

/** 0-1 intensity of each heatmap cell against the busiest one. */
export function heatLevels(values: readonly number[]): number[] {
  const max = Math.max(0, ...values);
  return values.map((value) => (max > 0 ? Math.max(0, value) / max : 0));
}

import { alignDown, MINUTE_MS, type SalesFigures } from './rest-api';

/** Orders and revenue of one minute. */
export interface MinuteSales {
  orders: number;
  revenue: number;
}

/** The chart's columns: minute starts (epoch seconds, as uPlot wants) and one value per minute. */
export interface SalesColumns {
  minutes: number[];
  orders: number[];
  revenue: number[];
}

/**
 * Folds a page of per-minute history into what is held. History and the live minute count the same
 * events, but the history of the latest minutes can lag (it is written after the live state), so
 * for each minute the reading with more orders wins.
 */
export function mergeHistory(
  held: ReadonlyMap<number, MinuteSales>,
  items: readonly (SalesFigures & { from: string })[],
): Map<number, MinuteSales> {
  const next = new Map(held);
  for (const item of items) {
    const minute = alignDown(Date.parse(item.from), MINUTE_MS);
    if (Number.isNaN(minute)) continue;
    const reading = { orders: item.orders, revenue: Number(item.revenue) || 0 };
    const current = next.get(minute);
    if (
      !current ||
      reading.orders > current.orders ||
      (reading.orders === current.orders && reading.revenue > current.revenue)
    )
      next.set(minute, reading);
  }
  return next;
}

/** The live `1m` window is the watermark's minute: its figures replace that minute's. */
export function withLiveMinute(
  held: ReadonlyMap<number, MinuteSales>,
  watermark: string | null,
  live: { orders: number; revenue: string },
): Map<number, MinuteSales> {
  const at = watermark === null ? Number.NaN : Date.parse(watermark);
  if (Number.isNaN(at)) return held as Map<number, MinuteSales>;
  const next = new Map(held);
  next.set(alignDown(at, MINUTE_MS), { orders: live.orders, revenue: Number(live.revenue) || 0 });
  return next;
}

/** The `count` minutes ending with `lastMinute` (epoch ms), zeros where nothing sold. */
export function salesColumns(held: ReadonlyMap<number, MinuteSales>, lastMinute: number, count = 60): SalesColumns {
  const columns: SalesColumns = { minutes: [], orders: [], revenue: [] };
  const first = alignDown(lastMinute, MINUTE_MS) - (count - 1) * MINUTE_MS;
  for (let minute = first; minute <= lastMinute; minute += MINUTE_MS) {
    const sales = held.get(minute);
    columns.minutes.push(minute / 1000);
    columns.orders.push(sales?.orders ?? 0);
    columns.revenue.push(Math.round((sales?.revenue ?? 0) * 100) / 100);
  }
  return columns;
}

/** Keeps only the minutes a chart can still show. */
export function pruneBefore(held: Map<number, MinuteSales>, oldest: number): void {
  for (const minute of held.keys()) if (minute < oldest) held.delete(minute);
}

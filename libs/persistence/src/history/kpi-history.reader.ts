import { bucketsBetween, hourAlignedZone, type HistoryInterval } from '@stockwall/contracts';
import type { AnalyticsRepository, SalesScope } from './analytics.repository';
import { buildKpiSeries, customersPerBucket, salesPerBucket, type KpiHistoryBucket } from './kpi-history';
import { integrateStock } from './stock-timeline';

export interface SeriesRequest {
  from: number;
  to: number;
  interval: HistoryInterval;
  timeZone: string;
  scope: SalesScope;
  limit: number;
}

/**
 * The history KPIs of a range, bucketed in a time zone: sales from the rollups, stock over time
 * from the stored lines, customers from the stored orders (docs/history.md, "History KPIs").
 * Read by the API's history routes and by the workers' digests.
 */
export class KpiSeriesReader {
  constructor(
    private readonly analytics: AnalyticsRepository,
    private readonly now: () => number = Date.now,
  ) {}

  /** Up to `limit` buckets from the one holding `from`; `next` is the start of the following one when it begins before `to`. */
  async series(request: SeriesRequest): Promise<{ items: KpiHistoryBucket[]; next: number | null }> {
    const buckets = bucketsBetween(request.from, request.to, request.interval, request.timeZone, request.limit);
    if (buckets.length === 0) return { items: [], next: null };
    const last = buckets[buckets.length - 1];
    const range = { from: buckets[0].start, to: Math.min(last.end, request.to) };
    const hourly = request.interval !== '1m' && hourAlignedZone(range.from, range.to, request.timeZone);
    const [rollups, orders, firstOrders, steps, catalog] = await Promise.all([
      this.analytics.salesPerRollup(range, request.scope, hourly),
      this.analytics.customerOrders(range, request.scope),
      this.analytics.firstOrders(range, request.scope),
      this.analytics.stockSteps(range, request.scope.location),
      this.analytics.catalogChanges(range.to, request.scope.location),
    ]);
    // Stock is known up to the end of the range and never past now.
    const stock = integrateStock(steps, catalog, buckets, Math.min(range.to, this.now()));
    const items = buildKpiSeries(
      buckets,
      salesPerBucket(buckets, rollups),
      stock,
      customersPerBucket(buckets, orders, firstOrders),
    );
    return { items, next: last.end < request.to ? last.end : null };
  }
}

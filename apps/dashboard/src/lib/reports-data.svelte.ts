import { getJson, RestRequestError, type SalesFigures } from './rest-api';
import { apiRange, previousRange, type KpiBucket, type ReportFilters } from './reports';

interface Page<T> {
  items: T[];
}

export interface PeakCell extends SalesFigures {
  weekday: string;
  hour: number;
}
export interface TopProduct {
  rank: number;
  sku: string;
  name: string | null;
  units: number;
  revenue: string;
}
export interface SourceSales extends SalesFigures {
  source: string;
}
export interface SegmentRow {
  segment: string;
  customers: number;
  customerShare: number | null;
  revenue: string;
  revenueShare: number | null;
}
export interface SegmentsPage extends Page<SegmentRow> {
  customers: number;
  highValue: { customers: number; customerShare: number | null; revenue: string; revenueShare: number | null };
}
export interface SlowMover {
  sku: string;
  location: string;
  name: string | null;
  onHand: number;
  daysOfCover: number | null;
  daysSinceLastSale: number | null;
  reason: string;
  valueTiedUp: string;
}
export interface SlowMoversPage extends Page<SlowMover> {
  valueTiedUp: string;
  skus: number;
}
export interface ReplenishmentItem {
  supplier: string | null;
  sku: string;
  location: string;
  name: string | null;
  available: number;
  reorderPoint: number | null;
  suggestedQuantity: number;
  orderValue: string;
}
export interface ReplenishmentPage extends Page<ReplenishmentItem> {
  suppliers: { supplier: string | null; skus: number; units: number; orderValue: string }[];
}

/** Every report of the page for one set of filters. */
export interface ReportSet {
  current: KpiBucket[];
  previous: KpiBucket[];
  peakHours: PeakCell[];
  topProducts: TopProduct[];
  stores: SourceSales[];
  segments: SegmentsPage;
  slowMovers: SlowMoversPage;
  replenishment: ReplenishmentPage;
}

/** Where each report comes from, with the query of the current filters (also used for the CSV downloads). */
export function reportRequests(filters: ReportFilters) {
  const range = apiRange(filters);
  const scope = { tz: filters.tz, location: filters.location || undefined };
  return {
    current: { path: '/api/v1/kpis/history', query: { ...range, ...scope, interval: filters.interval, limit: 10_000 } },
    previous: {
      path: '/api/v1/kpis/history',
      query: { ...previousRange(range), ...scope, interval: filters.interval, limit: 10_000 },
    },
    peakHours: { path: '/api/v1/reports/peak-hours', query: { ...range, ...scope } },
    topProducts: { path: '/api/v1/reports/top-products', query: { ...range, ...scope, by: 'revenue', limit: 10 } },
    stores: { path: '/api/v1/reports/sales-by-source', query: { ...range, ...scope } },
    segments: { path: '/api/v1/reports/customer-segments', query: { ...range, ...scope } },
    slowMovers: {
      path: '/api/v1/reports/slow-movers',
      query: { to: range.to, location: scope.location, days: 14, coverDays: 60, limit: 12 },
    },
    replenishment: { path: '/api/v1/reports/replenishment', query: { location: scope.location } },
  } as const;
}

/** Loads the page's reports; the newest request wins. */
export class ReportsData {
  data = $state<ReportSet | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  private controller: AbortController | null = null;

  constructor(private readonly token: string) {}

  async load(filters: ReportFilters): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.loading = true;
    this.error = null;
    const requests = reportRequests(filters);
    const get = <T>(request: { path: string; query: object }) =>
      getJson<T>(this.token, request.path, request.query as Record<string, string>, controller.signal);
    try {
      const [current, previous, peakHours, topProducts, stores, segments, slowMovers, replenishment] =
        await Promise.all([
          get<Page<KpiBucket>>(requests.current),
          get<Page<KpiBucket>>(requests.previous),
          get<Page<PeakCell>>(requests.peakHours),
          get<Page<TopProduct>>(requests.topProducts),
          get<Page<SourceSales>>(requests.stores),
          get<SegmentsPage>(requests.segments),
          get<SlowMoversPage>(requests.slowMovers),
          get<ReplenishmentPage>(requests.replenishment),
        ]);
      if (controller.signal.aborted) return;
      this.data = {
        current: current.items,
        previous: previous.items,
        peakHours: peakHours.items,
        topProducts: topProducts.items,
        stores: [...stores.items]
          .filter((store) => store.orders > 0)
          .sort((left, right) => Number(right.revenue) - Number(left.revenue)),
        segments,
        slowMovers,
        replenishment,
      };
    } catch (error) {
      if (controller.signal.aborted) return;
      this.error = error instanceof RestRequestError ? error.message : String(error);
    } finally {
      if (this.controller === controller) this.loading = false;
    }
  }
}

/** Downloads one report as CSV (the API answers `Accept: text/csv`) under its own name. */
export async function downloadCsv(token: string, request: { path: string; query: object }, name: string) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const response = await fetch(`${request.path}?${params.toString()}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/csv' },
  });
  if (!response.ok) throw new RestRequestError(response.status, `${request.path}: ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `${name}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

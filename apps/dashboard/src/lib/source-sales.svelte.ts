import { alignDown, every, getJson, MINUTE_MS, type KpiHistoryPage, type SalesBySourcePage } from './rest-api';

/** Sources drawn as lines (the biggest by revenue); the table lists all. */
export const SOURCE_LINES = 6;
const REFRESH_MS = 30_000;
const WINDOW_MS = 60 * MINUTE_MS;

export interface SourceRow {
  source: string;
  orders: number;
  units: number;
  revenue: string;
  averageOrderValue: string | null;
  /** Share of the hour's revenue, 0..1. */
  share: number;
}

/**
 * Sales of the last hour per source (channel or store): totals from
 * `GET /api/v1/reports/sales-by-source`, and orders per minute of the biggest sources from the
 * per-minute history. Read every 30 s, ending at the stream's watermark.
 */
export class SourceSales {
  rows = $state.raw<SourceRow[]>([]);
  minutes = $state.raw<number[]>([]);
  lines = $state.raw<{ source: string; orders: number[] }[]>([]);
  readAt = $state<number | null>(null);
  error = $state<string | null>(null);

  start(token: string, asOf: () => string | null): () => void {
    return every(REFRESH_MS, async (signal) => {
      const watermark = asOf();
      const at = watermark ? Date.parse(watermark) : Date.now();
      const end = alignDown(at, MINUTE_MS) + MINUTE_MS;
      const range = { from: new Date(end - WINDOW_MS).toISOString(), to: new Date(end).toISOString() };
      try {
        const totals = await getJson<SalesBySourcePage>(token, '/api/v1/reports/sales-by-source', range, signal);
        const sorted = totals.items
          .filter((item) => item.orders > 0)
          .sort((a, b) => Number(b.revenue) - Number(a.revenue) || b.orders - a.orders);
        const revenue = sorted.reduce((sum, item) => sum + (Number(item.revenue) || 0), 0);
        const pages = await Promise.all(
          sorted
            .slice(0, SOURCE_LINES)
            .map((item) =>
              getJson<KpiHistoryPage>(
                token,
                '/api/v1/kpis/history',
                { interval: '1m', source: item.source, limit: 60, ...range },
                signal,
              ),
            ),
        );
        this.rows = sorted.map((item) => ({
          source: item.source,
          orders: item.orders,
          units: item.units,
          revenue: item.revenue,
          averageOrderValue: item.averageOrderValue,
          share: revenue > 0 ? (Number(item.revenue) || 0) / revenue : 0,
        }));
        this.minutes = (pages[0]?.items ?? []).map((item) => Date.parse(item.from) / 1000);
        this.lines = pages.map((page, index) => ({
          source: sorted[index].source,
          orders: page.items.map((item) => item.orders),
        }));
        this.readAt = Date.now();
        this.error = null;
      } catch (error) {
        if (!signal.aborted) this.error = (error as Error).message;
        throw error;
      }
    });
  }
}

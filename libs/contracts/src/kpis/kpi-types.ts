/**
 * Live KPI, alert and forecast shapes shared by the aggregation core, the API and the dashboard.
 * Money is a decimal string at this edge; ratios are plain numbers.
 */
export const KPI_WINDOWS = ['1m', '5m', '15m', '1h', '24h'] as const;
export type KpiWindow = (typeof KPI_WINDOWS)[number];

export const MINUTE_MS = 60_000;
/** Coarse buckets for the 24h window: 96 quarter hours instead of 1,440 minutes. */
export const QUARTER_MS = 15 * MINUTE_MS;

/** Length of each window and the bucket size it is built from. */
export const KPI_WINDOW_SPECS: Record<KpiWindow, { lengthMs: number; bucketMs: number }> = {
  '1m': { lengthMs: MINUTE_MS, bucketMs: MINUTE_MS },
  '5m': { lengthMs: 5 * MINUTE_MS, bucketMs: MINUTE_MS },
  '15m': { lengthMs: 15 * MINUTE_MS, bucketMs: MINUTE_MS },
  '1h': { lengthMs: 60 * MINUTE_MS, bucketMs: MINUTE_MS },
  '24h': { lengthMs: 24 * 60 * MINUTE_MS, bucketMs: QUARTER_MS },
};

/** The pseudo-source under which the overall (all sources) buckets are kept. */
export const ALL_SOURCES = '*';

export interface TopSku {
  sku: string;
  units: number;
  revenue: string;
}

export interface StockTotals {
  units: number;
  stockValue: string;
  skusBelowReorderPoint: number;
  skusOutOfStock: number;
  activeSkus: number;
}

export interface LiveKpis {
  window: KpiWindow;
  source: string | null;
  /** The window ends at the stream's watermark (latest applied event time); null before any event. */
  watermark: string | null;
  from: string | null;
  to: string | null;
  orders: number;
  revenue: string;
  units: number;
  averageOrderValue: string | null;
  cogs: string;
  grossMargin: string;
  grossMarginRate: number | null;
  averageInventoryValue: string | null;
  inventoryTurnover: number | null;
  stockoutRate: { now: number | null; timeWeighted: number | null };
  topSkusByUnits: TopSku[];
  topSkusByRevenue: TopSku[];
  /** Events that arrived later than the allowed lateness: applied to stock, left out of windows. */
  lateEvents: number;
  stock: { overall: StockTotals; locations: (StockTotals & { location: string })[] };
}

export const ALERT_KINDS = ['low_stock', 'out_of_stock', 'back_in_stock'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface StockAlert {
  /** Deterministic: the same crossing always gets the same id, so persistence is idempotent. */
  id: string;
  kind: AlertKind;
  sku: string;
  location: string;
  available: number;
  reorderPoint: number | null;
  /** Event time of the crossing (ISO-8601). */
  occurredAt: string;
  /** For back_in_stock: how long the SKU was out of stock, in ms of event time. */
  stockoutMs: number | null;
}

export interface StockForecast {
  sku: string;
  location: string;
  name: string | null;
  active: boolean;
  available: number;
  /** Units per hour, exponentially decayed to the watermark. */
  sellRatePerHour: number;
  /** Event time of the latest sale counted in the rate (ISO-8601); null before the first sale. */
  lastSaleAt: string | null;
  daysOfCover: number | null;
  projectedRunOutAt: string | null;
  reorderPoint: number | null;
  reorderPointSource: 'explicit' | 'computed' | null;
  /** Lead time the computed reorder point uses: the supplier's on record, else the configured default. */
  leadTimeDays: number | null;
  /** Completed days of demand history (a computed reorder point needs FORECAST_MIN_HISTORY_DAYS). */
  historyDays: number;
}

import { formatCents, KpiWindow, LiveKpis, StockTotals, TopSku } from '@stockwall/contracts';
import { windowStart } from './window-buckets';

export const TOP_SKU_COUNT = 10;

/** Raw sums of a window's buckets and the stock totals, as read from the live state. */
export interface WindowSums {
  orders: number;
  revenueCents: number;
  units: number;
  cogsCents: number;
  /** Time-weighted integrals over the buckets (event time): ms covered, out-of-stock SKU·ms, active SKU·ms, value cents·ms. */
  coveredMs: number;
  outOfStockMs: number;
  activeMs: number;
  valueCentsMs: number;
  /** Ranking candidates: every SKU tied with or above the 10th, with both of its figures. */
  skus: { sku: string; units: number; revenueCents: number }[];
}

export interface TotalsSums {
  units: number;
  valueCents: number;
  belowReorderPoint: number;
  outOfStock: number;
  active: number;
}

export const EMPTY_WINDOW: Readonly<WindowSums> = Object.freeze({
  orders: 0,
  revenueCents: 0,
  units: 0,
  cogsCents: 0,
  coveredMs: 0,
  outOfStockMs: 0,
  activeMs: 0,
  valueCentsMs: 0,
  skus: [],
});

/** Integer division rounded half away from zero: cents stay exact. */
export function divideRounded(numerator: number, denominator: number): number {
  const quotient = Math.floor(Math.abs(numerator) / Math.abs(denominator) + 0.5);
  return Math.sign(numerator) * Math.sign(denominator) * quotient || 0;
}

export function rankTopSkus(skus: WindowSums['skus'], by: 'units' | 'revenueCents', count = TOP_SKU_COUNT): TopSku[] {
  return skus
    .filter((entry) => entry[by] > 0)
    .sort((left, right) => right[by] - left[by] || (left.sku < right.sku ? -1 : left.sku > right.sku ? 1 : 0))
    .slice(0, count)
    .map((entry) => ({ sku: entry.sku, units: entry.units, revenue: formatCents(entry.revenueCents) }));
}

export function toStockTotals(sums: TotalsSums): StockTotals {
  return {
    units: sums.units,
    stockValue: formatCents(sums.valueCents),
    skusBelowReorderPoint: sums.belowReorderPoint,
    skusOutOfStock: sums.outOfStock,
    activeSkus: sums.active,
  };
}

/** Turns a window's raw sums into the KPIs served by the API. Pure, so it is tested with plain numbers. */
export function computeKpis(input: {
  window: KpiWindow;
  source: string | null;
  watermark: number | null;
  sums: WindowSums;
  lateEvents: number;
  overall: TotalsSums;
  locations: Record<string, TotalsSums>;
}): LiveKpis {
  const { sums, watermark } = input;
  const grossMarginCents = sums.revenueCents - sums.cogsCents;
  const averageInventory = sums.coveredMs > 0 ? Math.round(sums.valueCentsMs / sums.coveredMs) : null;
  return {
    window: input.window,
    source: input.source,
    watermark: watermark === null ? null : new Date(watermark).toISOString(),
    from: watermark === null ? null : new Date(windowStart(input.window, watermark)).toISOString(),
    to: watermark === null ? null : new Date(watermark).toISOString(),
    orders: sums.orders,
    revenue: formatCents(sums.revenueCents),
    units: sums.units,
    averageOrderValue: sums.orders > 0 ? formatCents(divideRounded(sums.revenueCents, sums.orders)) : null,
    cogs: formatCents(sums.cogsCents),
    grossMargin: formatCents(grossMarginCents),
    grossMarginRate: sums.revenueCents > 0 ? round(grossMarginCents / sums.revenueCents) : null,
    averageInventoryValue: averageInventory === null ? null : formatCents(averageInventory),
    inventoryTurnover: averageInventory && averageInventory > 0 ? round(sums.cogsCents / averageInventory) : null,
    stockoutRate: {
      now: input.overall.active > 0 ? round(input.overall.outOfStock / input.overall.active) : null,
      timeWeighted: sums.activeMs > 0 ? round(sums.outOfStockMs / sums.activeMs) : null,
    },
    topSkusByUnits: rankTopSkus(sums.skus, 'units'),
    topSkusByRevenue: rankTopSkus(sums.skus, 'revenueCents'),
    lateEvents: input.lateEvents,
    stock: {
      overall: toStockTotals(input.overall),
      locations: Object.entries(input.locations)
        .sort(([left], [right]) => (left < right ? -1 : 1))
        .map(([location, totals]) => ({ location, ...toStockTotals(totals) })),
    },
  };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

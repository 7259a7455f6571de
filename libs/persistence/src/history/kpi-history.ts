import { formatCents, MINUTE_MS } from '@stockwall/contracts';
import { divideRounded } from '@stockwall/aggregation';

export const HISTORY_INTERVALS = { '1m': MINUTE_MS, '1h': 60 * MINUTE_MS, '1d': 24 * 60 * MINUTE_MS } as const;
export type HistoryInterval = keyof typeof HISTORY_INTERVALS;

export interface SalesSums {
  events: number;
  orders: number;
  units: number;
  revenueCents: number;
  shipped: number;
  cogsCents: number;
}

export const EMPTY_SALES: Readonly<SalesSums> = Object.freeze({
  events: 0,
  orders: 0,
  units: 0,
  revenueCents: 0,
  shipped: 0,
  cogsCents: 0,
});

export interface SalesFigures {
  orders: number;
  units: number;
  revenue: string;
  averageOrderValue: string | null;
  cogs: string;
  grossMargin: string;
  grossMarginRate: number | null;
}

export interface KpiHistoryPoint extends SalesFigures {
  from: string;
  to: string;
}

/** The same derivations as the live windows (computeKpis): AOV rounded half away from zero, rates to 1e-6. */
export function toSalesFigures(sums: SalesSums): SalesFigures {
  const grossMarginCents = sums.revenueCents - sums.cogsCents;
  return {
    orders: sums.orders,
    units: sums.units,
    revenue: formatCents(sums.revenueCents),
    averageOrderValue: sums.orders > 0 ? formatCents(divideRounded(sums.revenueCents, sums.orders)) : null,
    cogs: formatCents(sums.cogsCents),
    grossMargin: formatCents(grossMarginCents),
    grossMarginRate: sums.revenueCents > 0 ? Math.round((grossMarginCents / sums.revenueCents) * 1e6) / 1e6 : null,
  };
}

/** One point per interval from `from` (aligned down) to before `to`; intervals without sales are zeros. */
export function buildSeries(
  from: number,
  to: number,
  intervalMs: number,
  sums: ReadonlyMap<number, SalesSums>,
): KpiHistoryPoint[] {
  const points: KpiHistoryPoint[] = [];
  for (let start = alignDown(from, intervalMs); start < to; start += intervalMs) {
    points.push({
      from: new Date(start).toISOString(),
      to: new Date(start + intervalMs).toISOString(),
      ...toSalesFigures(sums.get(start) ?? EMPTY_SALES),
    });
  }
  return points;
}

export function alignDown(time: number, intervalMs: number): number {
  return Math.floor(time / intervalMs) * intervalMs;
}

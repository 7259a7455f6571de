import type { KpiWindow, LiveKpis } from '@stockwall/contracts';
import type { SalesFigures } from './rest-api';

/** Sums of a previous window, read from the per-minute history. */
export interface WindowSums {
  orders: number;
  units: number;
  revenue: number;
  cogs: number;
}

export type TrendDirection = 'up' | 'down' | 'flat' | 'new';

/** A change told by an arrow's shape and a signed figure, not by colour alone. */
export interface Trend {
  direction: TrendDirection;
  arrow: string;
  text: string;
  title: string;
}

export type TrendTileId = 'orders' | 'revenue' | 'units' | 'aov' | 'margin';

/** Window lengths (as KPI_WINDOW_SPECS; kept here so only types cross into the bundle). */
export const WINDOW_LENGTH_MS: Record<KpiWindow, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '24h': 86_400_000,
};

/** Changes smaller than this (relative, or in points for rates) read as "no change". */
const FLAT_BELOW = 0.005;

export function sumFigures(items: readonly SalesFigures[]): WindowSums {
  const sums: WindowSums = { orders: 0, units: 0, revenue: 0, cogs: 0 };
  for (const item of items) {
    sums.orders += item.orders;
    sums.units += item.units;
    sums.revenue += Number(item.revenue) || 0;
    sums.cogs += Number(item.cogs) || 0;
  }
  return sums;
}

/** The window before the KPIs' own: same length, ending where theirs starts. Null without figures. */
export function previousWindowOf(kpis: LiveKpis): { from: number; to: number } | null {
  if (!kpis.from) return null;
  const from = Date.parse(kpis.from);
  if (Number.isNaN(from)) return null;
  return { from: from - WINDOW_LENGTH_MS[kpis.window], to: from };
}

function relative(current: number, previous: number, windowName: string): Trend {
  if (previous === 0) {
    return current === 0
      ? { direction: 'flat', arrow: '=', text: 'same', title: `none in this or the previous ${windowName}` }
      : { direction: 'new', arrow: '▲', text: 'new', title: `none in the previous ${windowName}` };
  }
  const change = (current - previous) / previous;
  const percent = `${Math.abs(change * 100).toFixed(Math.abs(change) < 0.1 ? 1 : 0)}%`;
  const title = `previous ${windowName}: ${Number.isInteger(previous) ? previous : previous.toFixed(2)}`;
  if (Math.abs(change) < FLAT_BELOW) return { direction: 'flat', arrow: '=', text: '0%', title };
  return change > 0
    ? { direction: 'up', arrow: '▲', text: `+${percent}`, title }
    : { direction: 'down', arrow: '▼', text: `−${percent}`, title };
}

function points(current: number | null, previous: number | null, windowName: string): Trend | null {
  if (current === null || previous === null) return null;
  const change = (current - previous) * 100;
  const title = `previous ${windowName}: ${(previous * 100).toFixed(1)}%`;
  if (Math.abs(change) < FLAT_BELOW * 100) return { direction: 'flat', arrow: '=', text: '0 pts', title };
  const text = `${Math.abs(change).toFixed(1)} pts`;
  return change > 0
    ? { direction: 'up', arrow: '▲', text: `+${text}`, title }
    : { direction: 'down', arrow: '▼', text: `−${text}`, title };
}

/** Each sales tile's change against the previous window; null where there is nothing to compare. */
export function kpiTrends(kpis: LiveKpis | null, previous: WindowSums | null): Partial<Record<TrendTileId, Trend>> {
  if (kpis === null || previous === null) return {};
  const name = kpis.window;
  const revenue = Number(kpis.revenue) || 0;
  const cogs = Number(kpis.cogs) || 0;
  const trends: Partial<Record<TrendTileId, Trend>> = {
    orders: relative(kpis.orders, previous.orders, name),
    revenue: relative(revenue, previous.revenue, name),
    units: relative(kpis.units, previous.units, name),
  };
  if (kpis.orders > 0 && previous.orders > 0) {
    trends.aov = relative(revenue / kpis.orders, previous.revenue / previous.orders, name);
  }
  const margin = points(
    revenue > 0 ? (revenue - cogs) / revenue : null,
    previous.revenue > 0 ? (previous.revenue - previous.cogs) / previous.revenue : null,
    name,
  );
  if (margin) trends.margin = margin;
  return trends;
}

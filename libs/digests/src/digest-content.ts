import { formatCents, toCents } from '@stockwall/contracts';
import type {
  AlertRow,
  HistoryRepository,
  KpiHistoryBucket,
  KpiSeriesReader,
  ReplenishmentReport,
} from '@stockwall/persistence';
import type { DigestPeriod } from './digest-period';

/** Where a digest's figures come from: the same reads as the API's history and reports. */
export interface DigestSources {
  kpis: KpiSeriesReader;
  history: Pick<HistoryRepository, 'topProducts' | 'alerts'>;
  replenishment: () => Promise<ReplenishmentReport>;
}

export type ChangeDirection = 'up' | 'down' | 'same' | 'none';

/** One key figure of the period beside the period before it. */
export interface DigestFigure {
  key: FigureKey;
  label: string;
  current: string;
  previous: string;
  direction: ChangeDirection;
  /** `▲ +12.0%`, `▼ −3.0 pts`, `= 0%`, `▲ new`, or `–` when there is nothing to compare. */
  change: string;
}

export interface DigestProduct {
  sku: string;
  name: string | null;
  units: number;
  revenue: string;
}

export interface DigestAlert {
  occurredAt: string;
  kind: string;
  sku: string;
  location: string;
  available: number;
  reorderPoint: number | null;
  status: string;
  acknowledgedAt: string | null;
  alertId: string;
}

export interface DigestContent {
  period: DigestPeriod;
  figures: DigestFigure[];
  current: KpiHistoryBucket;
  previous: KpiHistoryBucket;
  topProducts: DigestProduct[];
  alerts: DigestAlert[];
  replenishment: ReplenishmentReport;
}

export const TOP_PRODUCTS = 5;
const MAX_ALERTS = 100_000;

type FigureKey =
  | 'orders'
  | 'revenue'
  | 'units'
  | 'averageOrderValue'
  | 'grossMargin'
  | 'grossMarginRate'
  | 'stockoutRate'
  | 'inventoryTurnover'
  | 'newCustomers'
  | 'returningCustomers';

type Measure = 'count' | 'money' | 'rate' | 'ratio';

const FIGURES: { key: FigureKey; label: string; measure: Measure }[] = [
  { key: 'orders', label: 'Orders', measure: 'count' },
  { key: 'revenue', label: 'Revenue', measure: 'money' },
  { key: 'units', label: 'Units sold', measure: 'count' },
  { key: 'averageOrderValue', label: 'Average order value', measure: 'money' },
  { key: 'grossMargin', label: 'Gross margin', measure: 'money' },
  { key: 'grossMarginRate', label: 'Gross margin rate', measure: 'rate' },
  { key: 'stockoutRate', label: 'Stockout rate', measure: 'rate' },
  { key: 'inventoryTurnover', label: 'Inventory turnover', measure: 'ratio' },
  { key: 'newCustomers', label: 'New customers', measure: 'count' },
  { key: 'returningCustomers', label: 'Returning customers', measure: 'count' },
];

/** Reads everything a digest shows for its period. */
export async function collectDigest(sources: DigestSources, period: DigestPeriod): Promise<DigestContent> {
  const range = { from: period.start, to: period.end };
  const [series, top, alerts, replenishment] = await Promise.all([
    sources.kpis.series({
      from: period.previous.start,
      to: period.end,
      interval: period.kind === 'daily' ? '1d' : '1w',
      timeZone: period.timeZone,
      scope: { source: null, location: null },
      limit: 2,
    }),
    sources.history.topProducts(range, 'revenue', TOP_PRODUCTS),
    sources.history.alerts({ range, limit: MAX_ALERTS }),
    sources.replenishment(),
  ]);
  const [previous, current] = series.items;
  if (!previous || !current) throw new Error(`no KPI buckets for the ${period.kind} digest ${period.label}`);
  return {
    period,
    figures: compareFigures(current, previous),
    current,
    previous,
    topProducts: top.map((row) => ({
      sku: row.sku,
      name: row.name,
      units: row.units,
      revenue: formatCents(row.revenueCents),
    })),
    alerts: alerts.map(toDigestAlert).sort((left, right) => compareText(left.occurredAt, right.occurredAt)),
    replenishment,
  };
}

/** Each key figure of the period against the one before: amounts in percent, rates in points. */
export function compareFigures(current: KpiHistoryBucket, previous: KpiHistoryBucket): DigestFigure[] {
  return FIGURES.map(({ key, label, measure }) => {
    const [now, before] = [numeric(current[key], measure), numeric(previous[key], measure)];
    return {
      key,
      label,
      current: shown(current[key], measure),
      previous: shown(previous[key], measure),
      ...changeOf(now, before, measure),
    };
  });
}

function numeric(value: string | number | null, measure: Measure): number | null {
  if (value === null) return null;
  if (measure === 'money') return toCents(value) ?? null;
  return Number(value);
}

function shown(value: string | number | null, measure: Measure): string {
  if (value === null) return '–';
  if (measure === 'rate') return `${(Number(value) * 100).toFixed(1)}%`;
  if (measure === 'ratio') return Number(value).toFixed(2);
  return String(value);
}

function changeOf(
  now: number | null,
  before: number | null,
  measure: Measure,
): { direction: ChangeDirection; change: string } {
  if (now === null || before === null) return { direction: 'none', change: '–' };
  const direction: ChangeDirection = now > before ? 'up' : now < before ? 'down' : 'same';
  const arrow = { up: '▲', down: '▼', same: '=', none: '' }[direction];
  if (measure === 'rate') {
    const points = (now - before) * 100;
    return { direction, change: direction === 'same' ? '= 0 pts' : `${arrow} ${signed(points.toFixed(1))} pts` };
  }
  if (direction === 'same') return { direction, change: '= 0%' };
  if (before === 0) return { direction, change: `${arrow} new` };
  const percent = ((now - before) / Math.abs(before)) * 100;
  return { direction, change: `${arrow} ${signed(percent.toFixed(1))}%` };
}

/** `+12.0`, `−3.0` (a minus sign, not a hyphen). */
function signed(fixed: string): string {
  return fixed.startsWith('-') ? `−${fixed.slice(1)}` : `+${fixed}`;
}

function toDigestAlert(row: AlertRow): DigestAlert {
  return {
    occurredAt: new Date(row.occurred_at).toISOString(),
    kind: row.kind,
    sku: row.sku,
    location: row.location,
    available: Number(row.available),
    reorderPoint: row.reorder_point === null ? null : Number(row.reorder_point),
    status: row.status,
    acknowledgedAt: row.acknowledged_at === null ? null : new Date(row.acknowledged_at).toISOString(),
    alertId: row.alert_id,
  };
}

function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

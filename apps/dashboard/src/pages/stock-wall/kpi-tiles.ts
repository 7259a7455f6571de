import type { LiveKpis } from '@stockwall/contracts';
import type { Tone } from '../../components/ui/tone';
import { formatCount, formatMoney, formatPercent, formatRatio, NO_FIGURE } from '../../lib/format';

export type KpiTileId = 'orders' | 'revenue' | 'units' | 'aov' | 'margin' | 'turnover' | 'stockout' | 'late';

/** One KPI tile as shown: the figure already formatted, and the raw value it came from. */
export interface KpiTile {
  id: KpiTileId;
  label: string;
  value: string;
  /** Always a string (possibly empty), so every tile keeps its height. */
  hint: string;
  tone: Tone;
  /** The figure as the API sent it (a decimal string for money), for titles and tests. */
  raw: string;
}

/** At or above this share of active SKUs out of stock the tile turns red (amber below, above 0). */
export const STOCKOUT_BAD_RATE = 0.05;

const EMPTY_TILES: [KpiTileId, string][] = [
  ['orders', 'Orders'],
  ['revenue', 'Revenue'],
  ['units', 'Units sold'],
  ['aov', 'Avg order'],
  ['margin', 'Gross margin'],
  ['turnover', 'Turnover'],
  ['stockout', 'Stockout now'],
  ['late', 'Late events'],
];

function stockoutTone(rate: number | null): Tone {
  if (rate === null) return 'muted';
  if (rate >= STOCKOUT_BAD_RATE) return 'bad';
  return rate > 0 ? 'warn' : 'ok';
}

/** The eight KPI tiles, always in the same order; dashes before the first snapshot. */
export function kpiTiles(kpis: LiveKpis | null): KpiTile[] {
  if (kpis === null) {
    return EMPTY_TILES.map(([id, label]) => ({ id, label, value: NO_FIGURE, hint: '', tone: 'muted', raw: '' }));
  }
  const overall = kpis.stock.overall;
  const late = typeof kpis.lateEvents === 'number' ? kpis.lateEvents : null;
  const marginNegative = kpis.grossMargin.trim().startsWith('-') && /[1-9]/.test(kpis.grossMargin);
  return [
    {
      id: 'orders',
      label: 'Orders',
      value: formatCount(kpis.orders),
      hint: '',
      tone: 'info',
      raw: String(kpis.orders),
    },
    {
      id: 'revenue',
      label: 'Revenue',
      value: formatMoney(kpis.revenue, { compact: true }),
      hint: `COGS ${formatMoney(kpis.cogs, { compact: true })}`,
      tone: 'ok',
      raw: kpis.revenue,
    },
    {
      id: 'units',
      label: 'Units sold',
      value: formatCount(kpis.units),
      hint: '',
      tone: 'info',
      raw: String(kpis.units),
    },
    {
      id: 'aov',
      label: 'Avg order',
      value: formatMoney(kpis.averageOrderValue, { compact: true }),
      hint: '',
      tone: 'info',
      raw: kpis.averageOrderValue ?? '',
    },
    {
      id: 'margin',
      label: 'Gross margin',
      value: formatPercent(kpis.grossMarginRate),
      hint: formatMoney(kpis.grossMargin, { compact: true }),
      tone: marginNegative ? 'bad' : kpis.grossMarginRate === null ? 'muted' : 'ok',
      raw: kpis.grossMargin,
    },
    {
      id: 'turnover',
      label: 'Turnover',
      value: kpis.inventoryTurnover === null ? NO_FIGURE : `${formatRatio(kpis.inventoryTurnover)}×`,
      hint:
        kpis.averageInventoryValue === null
          ? ''
          : `avg stock ${formatMoney(kpis.averageInventoryValue, { compact: true })}`,
      tone: 'info',
      raw: kpis.inventoryTurnover === null ? '' : String(kpis.inventoryTurnover),
    },
    {
      id: 'stockout',
      label: 'Stockout now',
      value: formatPercent(kpis.stockoutRate.now),
      hint: `${formatCount(overall.skusOutOfStock)} of ${formatCount(overall.activeSkus)} SKUs · avg ${formatPercent(kpis.stockoutRate.timeWeighted)}`,
      tone: stockoutTone(kpis.stockoutRate.now),
      raw: kpis.stockoutRate.now === null ? '' : String(kpis.stockoutRate.now),
    },
    {
      id: 'late',
      label: 'Late events',
      value: late === null ? NO_FIGURE : formatCount(late),
      hint: late ? 'not in the windows' : '',
      tone: late ? 'warn' : 'muted',
      raw: late === null ? '' : String(late),
    },
  ];
}

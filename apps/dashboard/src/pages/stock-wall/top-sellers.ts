import type { TopSku } from '@stockwall/contracts';
import { formatCount, formatMoney } from '../../lib/format';

/** How many SKUs each ranking shows; the lists always have this many lines, filled or not. */
export const TOP_SELLER_LINES = 5;

export interface TopSellerLine {
  rank: number;
  sku: string;
  value: string;
  /** Width of the bar: this SKU's figure over the leader's, 0..1. */
  share: number;
}

/** Integer cents of a decimal string, read from its text; 0 for anything else. */
export function centsOf(amount: string): number {
  const match = /^(\d+)(?:\.(\d{0,2}))?/.exec(amount.trim());
  if (!match) return 0;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** The first lines of a ranking, by units or by revenue, with bars relative to the leader. */
export function topSellerLines(
  ranking: readonly TopSku[],
  by: 'units' | 'revenue',
  count = TOP_SELLER_LINES,
): TopSellerLine[] {
  const lines = ranking.slice(0, count);
  const figure = (entry: TopSku) => (by === 'units' ? entry.units : centsOf(entry.revenue));
  const leader = lines.reduce((max, entry) => Math.max(max, figure(entry)), 0);
  return lines.map((entry, index) => ({
    rank: index + 1,
    sku: entry.sku,
    value: by === 'units' ? formatCount(entry.units) : formatMoney(entry.revenue, { compact: true }),
    share: leader > 0 ? figure(entry) / leader : 0,
  }));
}

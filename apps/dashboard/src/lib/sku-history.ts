/** One stored event of `GET /api/v1/products/:sku/history` (the fields the SKU page uses). */
export interface SkuHistoryItem {
  at: string;
  location: string;
  onHand: number;
  /** Units sold by the event (orders placed). */
  units: number;
}

export const DAY_MS = 86_400_000;

/**
 * Per UTC day from `from` to `to`: on hand at the end of the day over every location (each
 * location's last figure carried forward; null before any is known) and units sold that day.
 * Columns as uPlot takes them: days (epoch seconds), on hand, units sold.
 */
export function dailyColumns(
  items: readonly SkuHistoryItem[],
  from: number,
  to: number,
  openingOnHand: ReadonlyMap<string, number> = new Map(),
): [number[], (number | null)[], number[]] {
  const firstDay = Math.floor(from / DAY_MS) * DAY_MS;
  const days: number[] = [];
  for (let day = firstDay; day < to; day += DAY_MS) days.push(day);
  const onHand: (number | null)[] = [];
  const sold: number[] = [];
  const latest = new Map(openingOnHand);
  const sorted = [...items].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  let next = 0;
  for (const day of days) {
    let units = 0;
    while (next < sorted.length && Date.parse(sorted[next].at) < day + DAY_MS) {
      const item = sorted[next++];
      latest.set(item.location, item.onHand);
      if (Date.parse(item.at) >= day) units += Math.max(0, item.units);
    }
    onHand.push(latest.size === 0 ? null : [...latest.values()].reduce((sum, value) => sum + value, 0));
    sold.push(units);
  }
  return [days.map((day) => day / 1000), onHand, sold];
}

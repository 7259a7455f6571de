import { formatCents, type KpiHistoryBucket, type SalesFigures } from '@stockwall/contracts';

export type { KpiHistoryBucket, KpiHistoryPoint, SalesFigures } from '@stockwall/contracts';
import { divideRounded } from '@stockwall/aggregation';
import { bucketIndex, type CalendarBucket } from '@stockwall/contracts';
import type { CustomerOrder } from './analytics.repository';
import { stockFigures, type StockIntegrals } from './stock-timeline';

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

/** Sums rollup rows (keyed by their start) into the buckets they fall in. */
export function salesPerBucket(buckets: readonly CalendarBucket[], rows: ReadonlyMap<number, SalesSums>): SalesSums[] {
  const sums = buckets.map(() => ({ ...EMPTY_SALES }));
  for (const [at, row] of rows) {
    const index = bucketIndex(buckets, at);
    if (index === -1) continue;
    addSales(sums[index], row);
  }
  return sums;
}

/** Adds one set of sums to a running total. */
export function addSales(total: SalesSums, row: Readonly<SalesSums>): void {
  total.events += row.events;
  total.orders += row.orders;
  total.units += row.units;
  total.revenueCents += row.revenueCents;
  total.shipped += row.shipped;
  total.cogsCents += row.cogsCents;
}

/**
 * New and returning customers per bucket, from the orders of the range and each of those
 * customers' first order in the scope (`firstOrderAt`; a customer missing from it counts from their
 * earliest order given here).
 */
export function customersPerBucket(
  buckets: readonly CalendarBucket[],
  orders: readonly CustomerOrder[],
  firstOrderAt: ReadonlyMap<string, number>,
): { newCustomers: number; returningCustomers: number }[] {
  const earliest = new Map<string, number>();
  const seen = buckets.map(() => new Set<string>());
  for (const order of orders) {
    earliest.set(order.customerHash, Math.min(earliest.get(order.customerHash) ?? order.at, order.at));
    const index = bucketIndex(buckets, order.at);
    if (index !== -1) seen[index].add(order.customerHash);
  }
  return buckets.map((bucket, index) => {
    let fresh = 0;
    for (const customer of seen[index]) {
      if ((firstOrderAt.get(customer) ?? earliest.get(customer)!) >= bucket.start) fresh++;
    }
    return { newCustomers: fresh, returningCustomers: seen[index].size - fresh };
  });
}

/** The history series: one item per bucket, zeros (and nulls for ratios) where nothing happened. */
export function buildKpiSeries(
  buckets: readonly CalendarBucket[],
  sales: readonly SalesSums[],
  stock: readonly StockIntegrals[],
  customers: readonly { newCustomers: number; returningCustomers: number }[],
): KpiHistoryBucket[] {
  return buckets.map((bucket, index) => {
    const sums = sales[index];
    const figures = stockFigures(stock[index], sums.cogsCents);
    return {
      from: new Date(bucket.start).toISOString(),
      to: new Date(bucket.end).toISOString(),
      ...toSalesFigures(sums),
      cogsToRevenue: sums.revenueCents > 0 ? Math.round((sums.cogsCents / sums.revenueCents) * 1e6) / 1e6 : null,
      averageInventoryValue:
        figures.averageInventoryValueCents === null ? null : formatCents(figures.averageInventoryValueCents),
      inventoryTurnover: figures.inventoryTurnover,
      stockoutRate: figures.stockoutRate,
      newCustomers: customers[index].newCustomers,
      returningCustomers: customers[index].returningCustomers,
    };
  });
}

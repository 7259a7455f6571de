import type { ForecastRepository } from '@stockwall/aggregation';
import { formatCents } from '@stockwall/contracts';
import type { ReportsRepository } from './reports.repository';

export interface ReplenishmentQuery {
  location: string | null;
  /** Days of demand an order should cover after it arrives. */
  coverDays: number;
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * What to order, by supplier: every active SKU at or below its reorder point (explicit, else the
 * forecast's), ordering back up to the reorder point plus `coverDays` of demand at the forecast's
 * sell rate. The reorder point already holds the demand over the lead time plus safety stock.
 * Served by GET /reports/replenishment and attached to the digests.
 */
export async function replenishmentReport(
  forecasts: ForecastRepository,
  reports: ReportsRepository,
  query: ReplenishmentQuery,
) {
  const { location } = query;
  const [page, suppliers, stock] = await Promise.all([
    forecasts.listForecasts({ ...(location === null ? {} : { location }), limit: 1_000_000 }),
    reports.suppliers(),
    reports.currentStock(location),
  ]);
  const costs = new Map(stock.map((row) => [`${row.location}\u0000${row.sku}`, row.unitCostCents]));
  const items = page.forecasts
    .filter((forecast) => forecast.reorderPoint !== null && forecast.available <= forecast.reorderPoint)
    .map((forecast) => {
      const key = `${forecast.location}\u0000${forecast.sku}`;
      const demand = forecast.sellRatePerHour * 24 * query.coverDays;
      const quantity = Math.max(1, Math.ceil(forecast.reorderPoint! - forecast.available + demand));
      const unitCostCents = costs.get(key) ?? null;
      return {
        supplier: suppliers.get(key) ?? null,
        sku: forecast.sku,
        location: forecast.location,
        name: forecast.name,
        available: forecast.available,
        reorderPoint: forecast.reorderPoint,
        reorderPointSource: forecast.reorderPointSource,
        leadTimeDays: forecast.leadTimeDays,
        sellRatePerDay: round(forecast.sellRatePerHour * 24, 3),
        projectedRunOutAt: forecast.projectedRunOutAt,
        suggestedQuantity: quantity,
        unitCost: unitCostCents === null ? null : formatCents(unitCostCents),
        orderValueCents: unitCostCents === null ? 0 : quantity * unitCostCents,
      };
    })
    .sort(
      (left, right) => compare(left.supplier ?? '\uffff', right.supplier ?? '\uffff') || compare(left.sku, right.sku),
    );
  const bySupplier = new Map<string | null, { skus: number; units: number; valueCents: number }>();
  for (const item of items) {
    const group = bySupplier.get(item.supplier) ?? { skus: 0, units: 0, valueCents: 0 };
    group.skus++;
    group.units += item.suggestedQuantity;
    group.valueCents += item.orderValueCents;
    bySupplier.set(item.supplier, group);
  }
  return {
    asOf: page.asOf === null ? null : new Date(page.asOf).toISOString(),
    location,
    coverDays: query.coverDays,
    suppliers: [...bySupplier].map(([supplier, group]) => ({
      supplier,
      skus: group.skus,
      units: group.units,
      orderValue: formatCents(group.valueCents),
    })),
    items: items.map(({ orderValueCents, ...item }) => ({ ...item, orderValue: formatCents(orderValueCents) })),
  };
}

export type ReplenishmentReport = Awaited<ReturnType<typeof replenishmentReport>>;

import { Inject, Injectable } from '@nestjs/common';
import { ForecastRepository } from '@stockwall/aggregation';
import { formatCents } from '@stockwall/contracts';
import { AnalyticsRepository, catalogStateAt, replenishmentReport, ReportsRepository } from '@stockwall/persistence';
import { ANALYTICS_REPOSITORY } from '../history/kpi-history.reader';
import type { ReplenishmentQueryDto, SlowMoversQueryDto, StockOnDateQueryDto } from './reports.dto';

export const REPORTS_REPOSITORY = Symbol('REPORTS_REPOSITORY');

const DAY_MS = 86_400_000;
const iso = (time: number) => new Date(time).toISOString();
const valueOf = (units: number, unitCostCents: number | null) =>
  unitCostCents === null ? null : formatCents(Math.max(units, 0) * unitCostCents);
const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** Stock as of a moment, excess stock and what to order: the reports about what sits on the shelves. */
@Injectable()
export class StockReportsService {
  constructor(
    @Inject(ANALYTICS_REPOSITORY) private readonly analytics: AnalyticsRepository,
    @Inject(REPORTS_REPOSITORY) private readonly reports: ReportsRepository,
    private readonly forecasts: ForecastRepository,
  ) {}

  /**
   * Every SKU's stock as of `date`: the stock after its last stored event before then, else (raw
   * events pruned) its latest snapshot at or before then. Unit cost from its definition and restocks.
   */
  async stockOnDate(query: StockOnDateQueryDto) {
    const at = query.date ?? Date.now();
    const location = query.location ?? null;
    const [steps, catalog, snapshots, names] = await Promise.all([
      this.analytics.stockSteps({ from: at, to: at }, location),
      this.analytics.catalogChanges(at, location),
      this.reports.snapshotsAt(at, location),
      this.reports.names(location),
    ]);
    const rows = new Map<
      string,
      {
        sku: string;
        location: string;
        onHand: number;
        committed: number;
        unitCostCents: number | null;
        active: boolean;
        from: string;
      }
    >();
    for (const snapshot of snapshots) {
      rows.set(`${snapshot.location}\u0000${snapshot.sku}`, { ...snapshot, active: true, from: 'snapshot' });
    }
    for (const step of steps) {
      const key = `${step.location}\u0000${step.sku}`;
      const state = catalogStateAt(catalog.get(key) ?? [], at);
      rows.set(key, { ...step, unitCostCents: state.unitCostCents, active: state.active, from: 'events' });
    }
    const items = [...rows]
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
      .slice(0, query.limit)
      .map(([key, row]) => ({
        sku: row.sku,
        location: row.location,
        name: names.get(key) ?? null,
        onHand: row.onHand,
        committed: row.committed,
        available: row.onHand - row.committed,
        unitCost: row.unitCostCents === null ? null : formatCents(row.unitCostCents),
        stockValue: valueOf(row.onHand, row.unitCostCents),
        active: row.active,
        source: row.from,
      }));
    return { date: iso(at), location, skus: rows.size, items };
  }

  /**
   * Excess stock: active SKUs with units on hand and no sale in `days` days, or more than
   * `coverDays` days of cover at the sell rate of those days; most value tied up first.
   */
  async slowMovers(query: SlowMoversQueryDto) {
    const to = query.to ?? Date.now();
    const range = { from: to - query.days * DAY_MS, to };
    const location = query.location ?? null;
    const [stock, movements] = await Promise.all([
      this.reports.currentStock(location),
      this.reports.movements(range, location),
    ]);
    const items = stock
      .filter((row) => row.onHand > 0)
      .map((row) => {
        const movement = movements.get(`${row.location}\u0000${row.sku}`);
        const shipped = Math.max(movement?.shipped ?? 0, 0);
        const perDay = shipped / query.days;
        const daysOfCover = perDay > 0 ? round(row.onHand / perDay, 1) : null;
        const lastSaleAt = movement?.lastSaleAt ?? null;
        return {
          sku: row.sku,
          location: row.location,
          name: row.name,
          onHand: row.onHand,
          unitsSold: shipped,
          unitsPerDay: round(perDay, 3),
          daysOfCover,
          lastSaleAt: lastSaleAt === null ? null : iso(lastSaleAt),
          daysSinceLastSale: lastSaleAt === null ? null : Math.floor((to - lastSaleAt) / DAY_MS),
          reason: shipped === 0 ? 'no_sales' : 'excess_cover',
          valueTiedUpCents: Math.max(row.onHand, 0) * (row.unitCostCents ?? 0),
        };
      })
      .filter((item) => item.daysOfCover === null || item.daysOfCover > query.coverDays)
      .sort((left, right) => right.valueTiedUpCents - left.valueTiedUpCents || compare(left.sku, right.sku));
    const totalCents = items.reduce((sum, item) => sum + item.valueTiedUpCents, 0);
    return {
      to: iso(to),
      location,
      days: query.days,
      coverDays: query.coverDays,
      skus: items.length,
      valueTiedUp: formatCents(totalCents),
      items: items.slice(0, query.limit).map(({ valueTiedUpCents, ...item }) => ({
        ...item,
        valueTiedUp: formatCents(valueTiedUpCents),
      })),
    };
  }

  /** What to order, by supplier (replenishmentReport, shared with the digests). */
  replenishment(query: ReplenishmentQueryDto) {
    return replenishmentReport(this.forecasts, this.reports, {
      location: query.location ?? null,
      coverDays: query.coverDays,
    });
  }
}

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

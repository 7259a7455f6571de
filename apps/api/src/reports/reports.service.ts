import { Inject, Injectable } from '@nestjs/common';
import { formatCents, hourAlignedZone, localFields } from '@stockwall/contracts';
import {
  addSales,
  AnalyticsRepository,
  EMPTY_SALES,
  HistoryRepository,
  scoreCustomers,
  summariseSegments,
  toSalesFigures,
  type SalesSums,
} from '@stockwall/persistence';
import { HISTORY_REPOSITORY } from '../history/history.service';
import { ANALYTICS_REPOSITORY } from '../history/kpi-history.reader';
import type { ReportRangeQueryDto, TopProductsQueryDto } from './reports.dto';

const iso = (time: number) => new Date(time).toISOString();
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** What sells, where, when and to whom. */
@Injectable()
export class ReportsService {
  constructor(
    @Inject(HISTORY_REPOSITORY) private readonly history: HistoryRepository,
    @Inject(ANALYTICS_REPOSITORY) private readonly analytics: AnalyticsRepository,
  ) {}

  async topProducts(query: TopProductsQueryDto) {
    const rows = await this.history.topProducts({ from: query.from, to: query.to }, query.by, query.limit, {
      source: query.source ?? null,
      location: query.location ?? null,
    });
    return {
      ...this.header(query),
      by: query.by,
      items: rows.map((row, index) => ({
        rank: index + 1,
        sku: row.sku,
        name: row.name,
        units: row.units,
        revenue: formatCents(row.revenueCents),
      })),
    };
  }

  async salesBySource(query: ReportRangeQueryDto) {
    const rows = await this.history.salesBySource({ from: query.from, to: query.to }, query.location ?? null);
    const wanted = rows.filter((row) => query.source === undefined || row.source === query.source);
    return { ...this.header(query), items: wanted.map((row) => ({ source: row.source, ...toSalesFigures(row) })) };
  }

  /** Sales per weekday (Monday first) and hour of the day in `tz`: 168 cells, every one present. */
  async peakHours(query: ReportRangeQueryDto) {
    const range = { from: query.from, to: query.to };
    const rows = await this.analytics.salesPerRollup(
      range,
      { source: query.source ?? null, location: query.location ?? null },
      hourAlignedZone(range.from, range.to, query.tz),
    );
    const cells = Array.from({ length: 7 * 24 }, (): SalesSums => ({ ...EMPTY_SALES }));
    for (const [at, sums] of rows) {
      const local = localFields(at, query.tz);
      const weekday = (new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay() + 6) % 7;
      addSales(cells[weekday * 24 + local.hour], sums);
    }
    return {
      ...this.header(query),
      items: cells.map((cell, index) => ({
        weekday: WEEKDAYS[Math.floor(index / 24)],
        hour: index % 24,
        ...toSalesFigures(cell),
      })),
    };
  }

  /** RFM scores of the customers who ordered in the range, the named segments and the high-value group. */
  async customerSegments(query: ReportRangeQueryDto) {
    const orders = await this.analytics.customerOrders(
      { from: query.from, to: query.to },
      { source: query.source ?? null, location: query.location ?? null },
    );
    const summary = summariseSegments(scoreCustomers(orders, query.to));
    const money = <T extends { revenueCents: number }>({ revenueCents, ...rest }: T) => ({
      ...rest,
      revenue: formatCents(revenueCents),
    });
    return {
      ...this.header(query),
      customers: summary.customers,
      revenue: formatCents(summary.revenueCents),
      highValue: money(summary.highValue),
      items: summary.segments.map(money),
    };
  }

  private header(query: ReportRangeQueryDto) {
    return {
      from: iso(query.from),
      to: iso(query.to),
      source: query.source ?? null,
      location: query.location ?? null,
      timeZone: query.tz,
    };
  }
}

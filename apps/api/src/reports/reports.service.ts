import { Inject, Injectable } from '@nestjs/common';
import { formatCents } from '@stockwall/contracts';
import { HistoryRepository, toSalesFigures } from '@stockwall/persistence';
import { HISTORY_REPOSITORY } from '../history/history.service';
import type { ReportRangeQueryDto, TopProductsQueryDto } from './reports.dto';

const iso = (time: number) => new Date(time).toISOString();

/** What sells, where and when: the three questions of the store teams. */
@Injectable()
export class ReportsService {
  constructor(@Inject(HISTORY_REPOSITORY) private readonly history: HistoryRepository) {}

  async topProducts(query: TopProductsQueryDto) {
    const rows = await this.history.topProducts({ from: query.from, to: query.to }, query.by, query.limit);
    return {
      from: iso(query.from),
      to: iso(query.to),
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
    const rows = await this.history.salesBySource({ from: query.from, to: query.to });
    return {
      from: iso(query.from),
      to: iso(query.to),
      items: rows.map((row) => ({ source: row.source, ...toSalesFigures(row) })),
    };
  }

  async peakHours(query: ReportRangeQueryDto) {
    const rows = await this.history.salesByHourOfDay({ from: query.from, to: query.to });
    const byHour = new Map(rows.map((row) => [row.hour, row]));
    return {
      from: iso(query.from),
      to: iso(query.to),
      timeZone: 'UTC',
      items: Array.from({ length: 24 }, (_, hour) => {
        const row = byHour.get(hour);
        return {
          hour,
          ...toSalesFigures(row ?? { events: 0, orders: 0, units: 0, revenueCents: 0, shipped: 0, cogsCents: 0 }),
        };
      }),
    };
  }
}

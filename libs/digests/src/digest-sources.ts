import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { ForecastRepository } from '@stockwall/aggregation';
import type { StockwallConfig } from '@stockwall/config';
import {
  AnalyticsRepository,
  HistoryRepository,
  KpiSeriesReader,
  replenishmentReport,
  ReportsRepository,
} from '@stockwall/persistence';
import type { DigestSources } from './digest-content';

/** Days of demand the attached replenishment list orders for (the report's default). */
export const DIGEST_COVER_DAYS = 14;

/** The tables a digest reads (for a process that opens an existing database). */
export const DIGEST_TABLES = ['inventory_events', 'inventory_event_lines', 'kpi_hour', 'alerts', 'stock_levels'];

/** The history, alerts and replenishment reads of a digest, on the given connections. */
export function digestSources(redis: Redis, dataSource: DataSource, config: StockwallConfig): DigestSources {
  const forecasts = new ForecastRepository(redis, config.redis.prefix, {
    decayMs: config.aggregation.sellRateDecayMs,
    defaultLeadTimeDays: config.aggregation.defaultLeadTimeDays,
  });
  const reports = new ReportsRepository(dataSource);
  return {
    kpis: new KpiSeriesReader(new AnalyticsRepository(dataSource)),
    history: new HistoryRepository(dataSource),
    replenishment: () => replenishmentReport(forecasts, reports, { location: null, coverDays: DIGEST_COVER_DAYS }),
  };
}

import { DynamicModule, Module } from '@nestjs/common';
import { EventPublisher } from '@stockwall/ingest';
import { AnalyticsRepository, HistoryRepository, ReportsRepository } from '@stockwall/persistence';
import type { Infrastructure } from '@stockwall/platform';
import { AlertsController } from '../alerts/alerts.controller';
import { AlertsService } from '../alerts/alerts.service';
import { ReportsController } from '../reports/reports.controller';
import { ReportsService } from '../reports/reports.service';
import { REPORTS_REPOSITORY, StockReportsService } from '../reports/stock-reports.service';
import { ForecastsModule } from '../forecasts/forecasts.module';
import { HistoryController } from './history.controller';
import { WRITES_PUBLISHER, WritesService } from '../writes/writes.service';
import { HISTORY_REPOSITORY, HistoryService } from './history.service';
import { ANALYTICS_REPOSITORY, KpiHistoryReader } from './kpi-history.reader';

/** History, alerts and reports: REST over the MySQL tables the persist jobs keep. */
@Module({})
export class HistoryModule {
  static register(infrastructure: Infrastructure): DynamicModule {
    return {
      module: HistoryModule,
      imports: [ForecastsModule],
      controllers: [HistoryController, AlertsController, ReportsController],
      providers: [
        { provide: HISTORY_REPOSITORY, useFactory: () => new HistoryRepository(infrastructure.dataSource) },
        { provide: ANALYTICS_REPOSITORY, useFactory: () => new AnalyticsRepository(infrastructure.dataSource) },
        KpiHistoryReader,
        HistoryService,
        AlertsService,
        ReportsService,
        { provide: REPORTS_REPOSITORY, useFactory: () => new ReportsRepository(infrastructure.dataSource) },
        StockReportsService,
        // Acknowledging an alert is a write: an event on the stream, like the other writes.
        {
          provide: WRITES_PUBLISHER,
          useFactory: () => new EventPublisher(infrastructure.kinesis, infrastructure.config.kinesis.streamName),
        },
        WritesService,
      ],
    };
  }
}

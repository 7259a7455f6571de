import { DynamicModule, Module } from '@nestjs/common';
import { HistoryRepository } from '@stockwall/persistence';
import type { Infrastructure } from '@stockwall/platform';
import { AlertsController } from '../alerts/alerts.controller';
import { AlertsService } from '../alerts/alerts.service';
import { ReportsController } from '../reports/reports.controller';
import { ReportsService } from '../reports/reports.service';
import { HistoryController } from './history.controller';
import { HISTORY_REPOSITORY, HistoryService } from './history.service';

/** History, alerts and reports: REST over the MySQL tables the persist jobs keep. */
@Module({})
export class HistoryModule {
  static register(infrastructure: Infrastructure): DynamicModule {
    return {
      module: HistoryModule,
      controllers: [HistoryController, AlertsController, ReportsController],
      providers: [
        { provide: HISTORY_REPOSITORY, useFactory: () => new HistoryRepository(infrastructure.dataSource) },
        HistoryService,
        AlertsService,
        ReportsService,
      ],
    };
  }
}

import { Module } from '@nestjs/common';
import { AnalyticsRepository, HistoryRepository } from '@stockwall/persistence';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { HistoryController } from './history.controller';
import { HISTORY_REPOSITORY, HistoryService } from './history.service';
import { ANALYTICS_REPOSITORY, KpiHistoryReader } from './kpi-history.reader';

/**
 * History: REST over the MySQL tables the persist jobs keep. Exports the history and analytics
 * repositories to the alerts and reports, which read the same tables.
 */
@Module({
  controllers: [HistoryController],
  providers: [
    {
      provide: HISTORY_REPOSITORY,
      inject: [INFRASTRUCTURE],
      useFactory: ({ dataSource }: Infrastructure) => new HistoryRepository(dataSource),
    },
    {
      provide: ANALYTICS_REPOSITORY,
      inject: [INFRASTRUCTURE],
      useFactory: ({ dataSource }: Infrastructure) => new AnalyticsRepository(dataSource),
    },
    KpiHistoryReader,
    HistoryService,
  ],
  exports: [HISTORY_REPOSITORY, ANALYTICS_REPOSITORY],
})
export class HistoryModule {}

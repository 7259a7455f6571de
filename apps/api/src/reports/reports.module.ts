import { Module } from '@nestjs/common';
import { ReportsRepository } from '@stockwall/persistence';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { ForecastsModule } from '../forecasts/forecasts.module';
import { HistoryModule } from '../history/history.module';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';
import { REPORTS_REPOSITORY, StockReportsService } from './stock-reports.service';

/** The reports over the stored history, and the stock reports that add the live forecasts. */
@Module({
  imports: [HistoryModule, ForecastsModule],
  controllers: [ReportsController],
  providers: [
    ReportsService,
    {
      provide: REPORTS_REPOSITORY,
      inject: [INFRASTRUCTURE],
      useFactory: ({ dataSource }: Infrastructure) => new ReportsRepository(dataSource),
    },
    StockReportsService,
  ],
})
export class ReportsModule {}

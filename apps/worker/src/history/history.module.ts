import { Module } from '@nestjs/common';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { QueuesModule } from '../queues/queues.module';
import { HistoryJobsProcessor } from './history-jobs.processor';
import { HistoryMaintenanceRepository } from './history-maintenance.repository';

/** The scheduled history jobs: stock snapshots and the prune of old raw events. */
@Module({
  imports: [QueuesModule],
  providers: [
    {
      provide: HistoryMaintenanceRepository,
      inject: [INFRASTRUCTURE],
      useFactory: ({ dataSource }: Infrastructure) => new HistoryMaintenanceRepository(dataSource),
    },
    HistoryJobsProcessor,
  ],
})
export class HistoryModule {}

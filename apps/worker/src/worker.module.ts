import { DynamicModule, Module } from '@nestjs/common';
import { ApplyReceiptRepository, LiveStateRepository } from '@stockwall/aggregation';
import { ConfigModule, WorkerRole } from '@stockwall/config';
import { IngestMetrics } from '@stockwall/ingest';
import { INFRASTRUCTURE, Infrastructure, MysqlStartup } from '@stockwall/platform';
import { AlertRelayService } from './alerts/alert-relay.service';
import { BatchApplierService } from './batch-applier.service';
import { DigestsService } from './digests/digests.service';
import { HistoryJobsProcessor } from './history/history-jobs.processor';
import { IngestService } from './ingest.service';
import { NotificationsService } from './notifications/notifications.service';
import { bullConnection, createPersistQueue } from './persist-queue';
import { PersistProcessor } from './persist.processor';
import { WorkerMetricsService } from './worker-metrics.service';
import { PERSIST_QUEUE_TOKEN } from './worker.tokens';

/**
 * Only the `jobs` role writes MySQL. It starts without it and keeps connecting in the background
 * (its jobs fail and retry meanwhile); an `ingest`-only worker never connects, so a MySQL outage
 * never stops the live path.
 */
export function workerMysqlStartup(roles: ReadonlySet<WorkerRole>): MysqlStartup {
  return roles.has('jobs') ? 'background' : 'unused';
}

@Module({})
export class WorkerModule {
  static register(infrastructure: Infrastructure): DynamicModule {
    const { config } = infrastructure;
    const roles = config.worker.roles;
    // `ingest` reads shards into Redis and enqueues; `jobs` writes MySQL, relays alerts and notifies.
    // Both by default; split them to scale (and measure) each side on its own.
    // The persist queue is opened (and closed, by the applier) only where batches are enqueued.
    const persistQueue = {
      provide: PERSIST_QUEUE_TOKEN,
      useFactory: () => createPersistQueue(bullConnection(config.redis.url), config.queue.prefix),
    };
    const ingest = roles.has('ingest') ? [persistQueue, BatchApplierService, IngestService] : [];
    const jobs = roles.has('jobs')
      ? [PersistProcessor, HistoryJobsProcessor, AlertRelayService, NotificationsService, DigestsService]
      : [];
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config)],
      providers: [
        { provide: INFRASTRUCTURE, useValue: infrastructure },
        {
          provide: LiveStateRepository,
          useFactory: () => new LiveStateRepository(infrastructure.redis, config.redis.prefix, config.aggregation),
        },
        {
          provide: ApplyReceiptRepository,
          useFactory: () => new ApplyReceiptRepository(infrastructure.redis, config.redis.prefix),
        },
        { provide: IngestMetrics, useFactory: () => new IngestMetrics() },
        ...ingest,
        ...jobs,
        WorkerMetricsService,
      ],
      exports: [...(roles.has('ingest') ? [IngestService] : []), IngestMetrics],
    };
  }
}

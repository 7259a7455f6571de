import { DynamicModule, FactoryProvider, InjectionToken, Module } from '@nestjs/common';
import { ApplyReceiptRepository, LiveStateRepository } from '@stockwall/aggregation';
import { ConfigModule, WorkerRole } from '@stockwall/config';
import { LeaseRepository } from '@stockwall/ingest';
import { PersistBatchWriter } from '@stockwall/persistence';
import { INFRASTRUCTURE, Infrastructure, InfrastructureModule, MysqlStartup } from '@stockwall/platform';
import { AlertsModule } from './alerts/alerts.module';
import { BatchApplierService } from './batch-applier.service';
import { DigestsModule } from './digests/digests.module';
import { HistoryModule } from './history/history.module';
import { IngestService } from './ingest.service';
import { NotificationsModule } from './notifications/notifications.module';
import { OperationsModule } from './operations/operations.module';
import { bullConnection, createPersistQueue } from './persist-queue';
import { PersistProcessor } from './persist.processor';
import { WorkerMetricsService } from './worker-metrics.service';
import { KINESIS_CLIENT, PERSIST_QUEUE_TOKEN } from './worker.tokens';

/**
 * Only the `jobs` role writes MySQL. It starts without it and keeps connecting in the background
 * (its jobs fail and retry meanwhile); an `ingest`-only worker never connects, so a MySQL outage
 * never stops the live path.
 */
export function workerMysqlStartup(roles: ReadonlySet<WorkerRole>): MysqlStartup {
  return roles.has('jobs') ? 'background' : 'unused';
}

/** A provider built from the process's connections (the repositories; services get those, never a connection). */
function fromInfrastructure<T>(
  provide: InjectionToken,
  build: (infrastructure: Infrastructure) => T,
): FactoryProvider<T> {
  return { provide, inject: [INFRASTRUCTURE], useFactory: build };
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
    const ingest = roles.has('ingest')
      ? [
          persistQueue,
          fromInfrastructure(KINESIS_CLIENT, ({ kinesis }) => kinesis),
          fromInfrastructure(
            LeaseRepository,
            ({ redis }) => new LeaseRepository(redis, config.redis.prefix, config.kinesis.streamName),
          ),
          BatchApplierService,
          IngestService,
        ]
      : [];
    const jobs = roles.has('jobs')
      ? [
          fromInfrastructure(PersistBatchWriter, ({ dataSource }) => new PersistBatchWriter(dataSource)),
          PersistProcessor,
        ]
      : [];
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        InfrastructureModule.forRoot(infrastructure),
        OperationsModule,
        ...(roles.has('jobs') ? [HistoryModule, AlertsModule, NotificationsModule, DigestsModule] : []),
      ],
      providers: [
        fromInfrastructure(
          LiveStateRepository,
          ({ redis }) => new LiveStateRepository(redis, config.redis.prefix, config.aggregation),
        ),
        fromInfrastructure(
          ApplyReceiptRepository,
          ({ redis }) => new ApplyReceiptRepository(redis, config.redis.prefix),
        ),
        ...ingest,
        ...jobs,
        WorkerMetricsService,
      ],
      exports: [...(roles.has('ingest') ? [IngestService] : []), OperationsModule],
    };
  }
}

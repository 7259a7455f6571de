import { DynamicModule, FactoryProvider, InjectionToken, Module } from '@nestjs/common';
import { ApplyReceiptRepository, LiveStateRepository } from '@stockwall/aggregation';
import { ConfigModule, WorkerRole } from '@stockwall/config';
import { DIGEST_CLAIM_MS, DigestLedger, digestSources } from '@stockwall/digests';
import { IngestMetrics, LeaseRepository } from '@stockwall/ingest';
import { AlertWriter, PersistBatchWriter } from '@stockwall/persistence';
import { INFRASTRUCTURE, Infrastructure, InfrastructureModule, MysqlStartup } from '@stockwall/platform';
import { AlertRelayService } from './alerts/alert-relay.service';
import { BatchApplierService } from './batch-applier.service';
import { DIGEST_SOURCES, DigestsService } from './digests/digests.service';
import { HistoryJobsProcessor } from './history/history-jobs.processor';
import { HistoryMaintenanceRepository } from './history/history-maintenance.repository';
import { IngestService } from './ingest.service';
import { NotificationsService } from './notifications/notifications.service';
import { AppliedBatchLedger } from './operations/applied-batch-ledger';
import { OutboxConsumers } from './outbox/outbox-consumers';
import { bullConnection, createPersistQueue } from './persist-queue';
import { PersistProcessor } from './persist.processor';
import { WorkerQueues } from './queues/worker-queues';
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
          fromInfrastructure(
            HistoryMaintenanceRepository,
            ({ dataSource }) => new HistoryMaintenanceRepository(dataSource),
          ),
          HistoryJobsProcessor,
          fromInfrastructure(
            OutboxConsumers,
            ({ redis }) => new OutboxConsumers(redis, config.redis.prefix, config.worker.id),
          ),
          fromInfrastructure(AlertWriter, ({ dataSource }) => new AlertWriter(dataSource)),
          AlertRelayService,
          NotificationsService,
          fromInfrastructure(DIGEST_SOURCES, ({ redis, dataSource }) => digestSources(redis, dataSource, config)),
          fromInfrastructure(
            DigestLedger,
            ({ redis }) => new DigestLedger(redis, config.redis.prefix, DIGEST_CLAIM_MS),
          ),
          DigestsService,
        ]
      : [];
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), InfrastructureModule.forRoot(infrastructure)],
      providers: [
        fromInfrastructure(
          LiveStateRepository,
          ({ redis }) => new LiveStateRepository(redis, config.redis.prefix, config.aggregation),
        ),
        fromInfrastructure(
          ApplyReceiptRepository,
          ({ redis }) => new ApplyReceiptRepository(redis, config.redis.prefix),
        ),
        fromInfrastructure(AppliedBatchLedger, ({ redis }) => new AppliedBatchLedger(redis, config.redis.prefix)),
        { provide: IngestMetrics, useFactory: () => new IngestMetrics() },
        WorkerQueues,
        ...ingest,
        ...jobs,
        WorkerMetricsService,
      ],
      exports: [...(roles.has('ingest') ? [IngestService] : []), IngestMetrics],
    };
  }
}

import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { LiveStateRepository } from '@stockwall/aggregation';
import { persistBatchJobId } from '@stockwall/contracts';
import { BatchHandler, IngestMetrics, LeaseRepository, ShardBatch, ShardCoordinator } from '@stockwall/ingest';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { BatchApplierService } from './batch-applier.service';
import { AppliedBatchLedger } from './operations/applied-batch-ledger';

/** Runs the shard coordinator for the life of the worker process. */
@Injectable()
export class IngestService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(IngestService.name);
  private coordinator: ShardCoordinator | null = null;

  constructor(
    @Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure,
    private readonly liveState: LiveStateRepository,
    private readonly batchApplier: BatchApplierService,
    private readonly metrics: IngestMetrics,
  ) {}

  get heldShards(): string[] {
    return this.coordinator?.heldShards ?? [];
  }

  async onApplicationBootstrap(): Promise<void> {
    const { config, redis, kinesis } = this.infrastructure;
    const { worker } = config;
    this.coordinator = new ShardCoordinator(
      kinesis,
      new LeaseRepository(redis, config.redis.prefix, config.kinesis.streamName),
      this.liveState,
      this.observedApplier(new AppliedBatchLedger(redis, config.redis.prefix)),
      {
        streamName: config.kinesis.streamName,
        workerId: worker.id,
        leaseTtlMs: worker.leaseTtlMs,
        leaseRenewMs: worker.leaseRenewMs,
        maxRecordsPerCall: worker.maxRecordsPerCall,
        idleWaitMs: worker.pollIdleMs,
        maxEventBytes: worker.maxEventBytes,
        maxEventTimeAheadMs: worker.maxEventTimeAheadMs,
        customerSalt: worker.customerSalt,
        callsPerSecond: worker.getRecordsMaxCallsPerSecond,
        prefetch: worker.prefetch,
        metrics: this.metrics,
      },
    );
    await this.coordinator.start();
    this.logger.log(`Worker ${worker.id} reading stream ${config.kinesis.streamName}`);
  }

  /** The batch applier, with each applied batch noted for the worker's health and persist lag metrics. */
  private observedApplier(ledger: AppliedBatchLedger): BatchHandler {
    const note = async (batch: ShardBatch) => {
      this.metrics.noteApplied(batch.events.length);
      if (batch.last === null) return;
      const jobId = persistBatchJobId({ ...batch, last: batch.last });
      // A note that fails only leaves the lag metric short; the batch is applied either way.
      await ledger.noteApplied(jobId, batch.events.length).catch((error: Error) => {
        this.logger.debug(`Could not note batch ${jobId} for the persist lag: ${error.message}`);
      });
    };
    return {
      handle: async (batch) => {
        const outcome = await this.batchApplier.handle(batch);
        if (outcome === 'applied') await note(batch);
        return outcome;
      },
    };
  }

  /** Runs before the queues close: the batch in flight still needs them. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.coordinator?.stop();
  }
}

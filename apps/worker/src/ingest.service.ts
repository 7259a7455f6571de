import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { LiveStateRepository } from '@stockwall/aggregation';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { persistBatchJobId } from '@stockwall/contracts';
import { BatchHandler, IngestMetrics, LeaseRepository, ShardBatch, ShardCoordinator } from '@stockwall/ingest';
import { BatchApplierService } from './batch-applier.service';
import { AppliedBatchLedger } from './operations/applied-batch-ledger';
import { KINESIS_CLIENT } from './worker.tokens';

/** Runs the shard coordinator for the life of the worker process. */
@Injectable()
export class IngestService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(IngestService.name);
  private coordinator: ShardCoordinator | null = null;

  constructor(
    @Inject(STOCKWALL_CONFIG) private readonly config: StockwallConfig,
    @Inject(KINESIS_CLIENT) private readonly kinesis: KinesisClient,
    private readonly leases: LeaseRepository,
    private readonly ledger: AppliedBatchLedger,
    private readonly liveState: LiveStateRepository,
    private readonly batchApplier: BatchApplierService,
    private readonly metrics: IngestMetrics,
  ) {}

  get heldShards(): string[] {
    return this.coordinator?.heldShards ?? [];
  }

  async onApplicationBootstrap(): Promise<void> {
    const { config } = this;
    const { worker } = config;
    this.coordinator = new ShardCoordinator(
      this.kinesis,
      this.leases,
      this.liveState,
      this.observedApplier(this.ledger),
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

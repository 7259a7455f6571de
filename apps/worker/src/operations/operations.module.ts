import { Module } from '@nestjs/common';
import { IngestMetrics } from '@stockwall/ingest';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { AppliedBatchLedger } from './applied-batch-ledger';

/** The worker's one metrics registry (served on METRICS_PORT) and the ledger of applied batches. */
@Module({
  providers: [
    { provide: IngestMetrics, useFactory: () => new IngestMetrics() },
    {
      provide: AppliedBatchLedger,
      inject: [INFRASTRUCTURE],
      useFactory: ({ redis, config }: Infrastructure) => new AppliedBatchLedger(redis, config.redis.prefix),
    },
  ],
  exports: [IngestMetrics, AppliedBatchLedger],
})
export class OperationsModule {}

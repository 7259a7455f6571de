import { Module } from '@nestjs/common';
import { DIGEST_CLAIM_MS, DigestLedger, digestSources } from '@stockwall/digests';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { OperationsModule } from '../operations/operations.module';
import { QueuesModule } from '../queues/queues.module';
import { DIGEST_SOURCES, DigestsService } from './digests.service';

/** The daily and weekly digest e-mails. */
@Module({
  imports: [QueuesModule, OperationsModule],
  providers: [
    {
      provide: DIGEST_SOURCES,
      inject: [INFRASTRUCTURE],
      useFactory: ({ redis, dataSource, config }: Infrastructure) => digestSources(redis, dataSource, config),
    },
    {
      provide: DigestLedger,
      inject: [INFRASTRUCTURE],
      useFactory: ({ redis, config }: Infrastructure) => new DigestLedger(redis, config.redis.prefix, DIGEST_CLAIM_MS),
    },
    DigestsService,
  ],
})
export class DigestsModule {}

import { Module } from '@nestjs/common';
import { KpiRepository } from '@stockwall/aggregation';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { KpisController } from './kpis.controller';
import { KpisService } from './kpis.service';

/** GET /api/v1/kpis from the live buckets in Redis; exports their repository to /live. */
@Module({
  controllers: [KpisController],
  providers: [
    {
      provide: KpiRepository,
      inject: [INFRASTRUCTURE],
      useFactory: ({ redis, config }: Infrastructure) => new KpiRepository(redis, config.redis.prefix),
    },
    KpisService,
  ],
  exports: [KpiRepository],
})
export class KpisModule {}

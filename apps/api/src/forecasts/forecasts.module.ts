import { Module } from '@nestjs/common';
import { ForecastRepository } from '@stockwall/aggregation';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { ForecastsController } from './forecasts.controller';
import { ForecastsService } from './forecasts.service';

/** GET /api/v1/forecasts; exports the repository for the per-SKU forecast under /stock and the reports. */
@Module({
  controllers: [ForecastsController],
  providers: [
    {
      // The forecasts read from the live state in Redis, with the configured decay and default lead time.
      provide: ForecastRepository,
      inject: [INFRASTRUCTURE],
      useFactory: ({ redis, config }: Infrastructure) =>
        new ForecastRepository(redis, config.redis.prefix, {
          decayMs: config.aggregation.sellRateDecayMs,
          defaultLeadTimeDays: config.aggregation.defaultLeadTimeDays,
        }),
    },
    ForecastsService,
  ],
  exports: [ForecastRepository],
})
export class ForecastsModule {}

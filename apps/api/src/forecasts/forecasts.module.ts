import { DynamicModule, Module } from '@nestjs/common';
import { ForecastRepository } from '@stockwall/aggregation';
import type { Infrastructure } from '@stockwall/platform';
import { ForecastsController } from './forecasts.controller';
import { ForecastsService } from './forecasts.service';

/** GET /api/v1/forecasts; exports the repository for the per-SKU forecast under /stock. */
@Module({})
export class ForecastsModule {
  static register(infrastructure: Infrastructure): DynamicModule {
    const { config } = infrastructure;
    return {
      module: ForecastsModule,
      controllers: [ForecastsController],
      providers: [
        {
          provide: ForecastRepository,
          useFactory: () =>
            new ForecastRepository(infrastructure.redis, config.redis.prefix, {
              decayMs: config.aggregation.sellRateDecayMs,
              defaultLeadTimeDays: config.aggregation.defaultLeadTimeDays,
            }),
        },
        ForecastsService,
      ],
      exports: [ForecastRepository],
    };
  }
}

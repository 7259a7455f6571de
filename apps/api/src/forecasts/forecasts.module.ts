import { DynamicModule, Module } from '@nestjs/common';
import { ForecastRepository } from '@stockwall/aggregation';
import type { Infrastructure } from '@stockwall/platform';
import { ForecastsController } from './forecasts.controller';
import { ForecastsService } from './forecasts.service';

/** The forecasts read from the live state in Redis, with the configured decay and default lead time. */
export function forecastRepositoryProvider(infrastructure: Infrastructure) {
  const { config } = infrastructure;
  return {
    provide: ForecastRepository,
    useFactory: () =>
      new ForecastRepository(infrastructure.redis, config.redis.prefix, {
        decayMs: config.aggregation.sellRateDecayMs,
        defaultLeadTimeDays: config.aggregation.defaultLeadTimeDays,
      }),
  };
}

/** GET /api/v1/forecasts; exports the repository for the per-SKU forecast under /stock. */
@Module({})
export class ForecastsModule {
  static register(infrastructure: Infrastructure): DynamicModule {
    return {
      module: ForecastsModule,
      controllers: [ForecastsController],
      providers: [forecastRepositoryProvider(infrastructure), ForecastsService],
      exports: [ForecastRepository],
    };
  }
}

import { Module } from '@nestjs/common';
import { LiveStateRepository } from '@stockwall/aggregation';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { ForecastsModule } from '../forecasts/forecasts.module';
import { StockController } from './stock.controller';
import { StockService } from './stock.service';

/** GET /api/v1/stock from the live state in Redis; exports that state's repository to the other readers of it. */
@Module({
  imports: [ForecastsModule],
  controllers: [StockController],
  providers: [
    {
      provide: LiveStateRepository,
      inject: [INFRASTRUCTURE],
      useFactory: ({ redis, config }: Infrastructure) => new LiveStateRepository(redis, config.redis.prefix),
    },
    StockService,
  ],
  exports: [LiveStateRepository],
})
export class StockModule {}

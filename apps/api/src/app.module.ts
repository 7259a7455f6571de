import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { KpiRepository, LiveStateRepository } from '@stockwall/aggregation';
import { ConfigModule } from '@stockwall/config';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { AuthGuard } from './auth/auth.guard';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { HealthController } from './health/health.controller';
import { KpisController } from './kpis/kpis.controller';
import { KpisService } from './kpis/kpis.service';
import { ChangeFeedService } from './live/change-feed.service';
import { LiveGateway } from './live/live.gateway';
import { MetricsModule } from './metrics/metrics.module';
import { StockController } from './stock/stock.controller';
import { StockService } from './stock/stock.service';

@Module({})
export class AppModule {
  static register(infrastructure: Infrastructure): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(infrastructure.config), DeadLettersModule.register(infrastructure), MetricsModule],
      controllers: [StockController, HealthController, KpisController],
      providers: [
        { provide: INFRASTRUCTURE, useValue: infrastructure },
        {
          provide: LiveStateRepository,
          useFactory: () => new LiveStateRepository(infrastructure.redis, infrastructure.config.redis.prefix),
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        StockService,
        {
          provide: KpiRepository,
          useFactory: () => new KpiRepository(infrastructure.redis, infrastructure.config.redis.prefix),
        },
        KpisService,
        LiveGateway,
        ChangeFeedService,
      ],
    };
  }
}

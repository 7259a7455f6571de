import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ConfigModule, requireJwtSecret } from '@stockwall/config';
import { Infrastructure, InfrastructureModule } from '@stockwall/platform';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { HttpThrottlerGuard } from './common/http-throttler.guard';
import { MysqlUnavailableInterceptor } from './common/mysql-unavailable.interceptor';
import { RedisThrottlerStorage } from './common/redis-throttler-storage';
import { DisplayTokensModule } from './display-tokens/display-tokens.module';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { ForecastsModule } from './forecasts/forecasts.module';
import { AdminModule } from './admin/admin.module';
import { HealthModule } from './health/health.module';
import { HistoryModule } from './history/history.module';
import { AlertsModule } from './alerts/alerts.module';
import { ReportsModule } from './reports/reports.module';
import { KpisModule } from './kpis/kpis.module';
import { LiveModule } from './live/live.module';
import { MetricsModule } from './metrics/metrics.module';
import { ProductsModule } from './products/products.module';
import { MovementsModule } from './movements/movements.module';
import { StockModule } from './stock/stock.module';
import { SuppliersModule } from './suppliers/suppliers.module';
import { UsersModule } from './users/users.module';
import { WritesModule } from './writes/writes.module';

@Module({})
export class AppModule {
  static register(infrastructure: Infrastructure): DynamicModule {
    // One line and no start without a signing secret (docs/security.md).
    requireJwtSecret(infrastructure.config);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(infrastructure.config),
        InfrastructureModule.forRoot(infrastructure),
        AuthModule,
        DeadLettersModule,
        ForecastsModule,
        SuppliersModule,
        StockModule,
        KpisModule,
        HistoryModule,
        AlertsModule,
        ReportsModule,
        WritesModule,
        ProductsModule,
        DisplayTokensModule,
        MovementsModule,
        HealthModule,
        AdminModule,
        UsersModule,
        MetricsModule,
        LiveModule,
        ThrottlerModule.forRoot({
          throttlers: [
            { ttl: infrastructure.config.http.rateLimit.ttlMs, limit: infrastructure.config.http.rateLimit.limit },
          ],
          // Shared in Redis, so every API process counts against the same limit.
          storage: new RedisThrottlerStorage(infrastructure.redis, infrastructure.config.redis.prefix),
        }),
      ],
      providers: [
        // Throttling first, so a flood of bad tokens is refused before any is verified.
        { provide: APP_GUARD, useClass: HttpThrottlerGuard },
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        // MySQL-backed routes answer 503 with Retry-After while MySQL does not answer.
        { provide: APP_INTERCEPTOR, useClass: MysqlUnavailableInterceptor },
      ],
    };
  }
}

import { Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { MetricsController } from './metrics.controller';
import { API_METRICS } from './metrics.tokens';

@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: API_METRICS,
      useFactory: () => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry, prefix: 'stockwall_api_' });
        return registry;
      },
    },
  ],
  exports: [API_METRICS],
})
export class MetricsModule {}

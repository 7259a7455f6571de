import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Registry } from 'prom-client';
import { Public } from '../auth/auth.decorators';
import { API_METRICS } from './metrics.tokens';

/** Prometheus scrape endpoint; unauthenticated like /health, it carries counts, never data. */
@Controller('metrics')
@Public()
export class MetricsController {
  constructor(@Inject(API_METRICS) private readonly registry: Registry) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}

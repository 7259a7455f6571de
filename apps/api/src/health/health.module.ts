import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';

/** /health/live and /health/ready: the readiness probe pings the connections themselves. */
@Module({ controllers: [HealthController] })
export class HealthModule {}

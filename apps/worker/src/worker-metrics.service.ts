import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IngestMetrics } from '@stockwall/ingest';
import { INFRASTRUCTURE, Infrastructure, MetricsServer, startMetricsServer } from '@stockwall/platform';
import { collectDefaultMetrics } from 'prom-client';

/** Serves the worker's Prometheus metrics on METRICS_PORT (none when it is 0). */
@Injectable()
export class WorkerMetricsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: MetricsServer | null = null;

  constructor(
    @Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure,
    private readonly metrics: IngestMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.infrastructure.config.worker.metricsPort;
    if (port === 0) return;
    collectDefaultMetrics({ register: this.metrics.registry });
    this.server = await startMetricsServer(this.metrics.registry, port);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }
}

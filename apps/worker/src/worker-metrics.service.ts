import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import type Redis from 'ioredis';
import { IngestMetrics } from '@stockwall/ingest';
import { INFRASTRUCTURE, Infrastructure, MetricsServer, startMetricsServer } from '@stockwall/platform';
import { collectDefaultMetrics } from 'prom-client';
import { IngestService } from './ingest.service';
import { AppliedBatchLedger } from './operations/applied-batch-ledger';
import { QueueMetrics } from './operations/queue-metrics';
import { workerReadiness } from './operations/worker-readiness';
import { bullConnection } from './persist-queue';

const HEALTH_TIMEOUT_MS = 2_000;

/** `work`'s result, or `fallback` when it fails or takes longer than `timeoutMs`. */
async function within<T>(work: Promise<T>, timeoutMs: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), timeoutMs);
  });
  try {
    return await Promise.race([work.catch(() => fallback), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Serves the worker's Prometheus metrics, `/health/live` and `/health/ready` on METRICS_PORT
 * (9464 by default; none when it is 0): the consumer's figures, the queues' depth and age, and
 * how far MySQL is behind Redis.
 */
@Injectable()
export class WorkerMetricsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: MetricsServer | null = null;
  private queueMetrics: QueueMetrics | null = null;
  private connection: Redis | null = null;
  private readonly startedAt = Date.now();

  constructor(
    @Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure,
    private readonly metrics: IngestMetrics,
    private readonly ledger: AppliedBatchLedger,
    @Optional() @Inject(IngestService) private readonly ingest: IngestService | null,
  ) {}

  /** The port /metrics and /health are served on (after a fallback, the one actually bound); null when off. */
  get port(): number | null {
    return this.server?.port ?? null;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { config } = this.infrastructure;
    const port = config.worker.metricsPort;
    if (port === 0) return;
    collectDefaultMetrics({ register: this.metrics.registry });
    this.connection = bullConnection(config.redis.url);
    this.queueMetrics = new QueueMetrics(this.connection, config.queue.prefix, this.ledger, this.metrics.registry);
    this.server = await startMetricsServer(this.metrics.registry, port, {
      fallbackToFreePort: !config.worker.metricsPortExplicit,
      health: {
        live: () => Promise.resolve({ status: 200, body: { status: 'ok' } }),
        ready: () => this.readiness(),
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
    await this.queueMetrics?.close();
    await this.connection?.quit().catch(() => this.connection?.disconnect());
  }

  private async readiness() {
    const { config, redis, mysql } = this.infrastructure;
    // Commands wait for a reconnect instead of failing; a health check must answer anyway.
    const redisAnswers = await within(
      redis.ping().then(() => true),
      HEALTH_TIMEOUT_MS,
      false,
    );
    if (redisAnswers) await within(this.queueMetrics!.read(), HEALTH_TIMEOUT_MS, undefined);
    const lastAppliedAt = this.metrics.lastAppliedAt ?? this.startedAt;
    const readiness = workerReadiness({
      roles: config.worker.roles,
      redisAnswers,
      mysql: mysql.status().state,
      leasesHeld: this.ingest?.heldShards.length ?? 0,
      lastApplyAgeSeconds: (Date.now() - lastAppliedAt) / 1_000,
      millisBehindLatest: await this.metrics.maxMillisBehindLatest(),
      persistLag: this.queueMetrics!.persistLag(),
    });
    return {
      status: readiness.httpStatus,
      body: {
        status: readiness.status,
        worker: config.worker.id,
        problems: readiness.problems,
        checks: readiness.checks,
      },
    };
  }
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Worker } from 'bullmq';
import type Redis from 'ioredis';
import { AlertOutboxRepository, OutboxEntry } from '@stockwall/aggregation';
import { PERSIST_ALERT_JOB, PersistAlertJob } from '@stockwall/contracts';
import { AlertWriter } from '@stockwall/persistence';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { bullConnection, closeWithConnection } from '../persist-queue';
import { alertJobId, AlertsQueue, createAlertsQueue, createAlertsWorker } from './alerts-queue';

const BATCH = 200;
const STALE_MS = 30_000;

/**
 * Hands alerts from the Redis outbox (written inside the atomic apply) to BullMQ, acknowledging
 * each outbox entry only once its job is queued, and stores queued alerts in MySQL. Job ids and
 * the table's unique alert id make every step safe to repeat.
 */
@Injectable()
export class AlertRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AlertRelayService.name);
  private connection: Redis | null = null;
  private queue: AlertsQueue | null = null;
  private worker: Worker<PersistAlertJob> | null = null;
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(@Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure) {}

  onApplicationBootstrap(): void {
    const { config, dataSource, redis } = this.infrastructure;
    // XREADGROUP BLOCK holds its connection.
    this.connection = redis.duplicate();
    this.connection.on('error', () => undefined);
    this.queue = createAlertsQueue(bullConnection(config.redis.url), config.queue.prefix);
    const writer = new AlertWriter(dataSource);
    this.worker = createAlertsWorker(bullConnection(config.redis.url), config.queue.prefix, (alert) =>
      writer.write([alert]),
    );
    this.worker.on('failed', (job, error) =>
      this.logger.warn(`persist-alert ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`),
    );
    this.worker.on('error', (error) => this.logger.warn(`Alerts worker: ${error.message}`));
    this.running = true;
    this.loop = this.relay(new AlertOutboxRepository(this.connection, config.redis.prefix), config.worker.id);
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.connection?.disconnect();
    await this.loop;
    if (this.queue) await closeWithConnection(this.queue);
    if (this.worker) await closeWithConnection(this.worker);
  }

  private async relay(outbox: AlertOutboxRepository, consumer: string): Promise<void> {
    let lastClaim = 0;
    while (this.running) {
      try {
        if (lastClaim === 0) await outbox.ensureGroup();
        if (Date.now() - lastClaim >= STALE_MS / 2) {
          lastClaim = Date.now();
          await this.handOn(outbox, await outbox.claimStale(consumer, STALE_MS, BATCH));
        }
        await this.handOn(outbox, await outbox.readNew(consumer, BATCH, 1_000));
      } catch (error) {
        if (!this.running) return;
        this.logger.warn(`Alert relay: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private async handOn(outbox: AlertOutboxRepository, entries: OutboxEntry[]): Promise<void> {
    if (entries.length === 0 || !this.queue) return;
    await this.queue.addBulk(
      entries.map((entry) => ({
        name: PERSIST_ALERT_JOB,
        data: entry.alert,
        opts: { jobId: alertJobId(entry.alert.id) },
      })),
    );
    await outbox.acknowledge(entries.map((entry) => entry.entryId));
  }
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ALERT_RELAY_GROUP, OutboxEntry } from '@stockwall/aggregation';
import { ALERTS_QUEUE, PERSIST_ALERT_JOB } from '@stockwall/contracts';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { AlertWriter } from '@stockwall/persistence';
import { OutboxConsumer } from '../outbox/outbox-consumer';
import { OutboxConsumers } from '../outbox/outbox-consumers';
import { bullConnection, closeWithConnection, TypedWorker } from '../queues/bull-queues';
import { alertJobId, AlertsQueue, createAlertsQueue, createAlertsWorker } from './alerts-queue';

/**
 * Hands alerts from the Redis outbox (written inside the atomic apply) to BullMQ, acknowledging
 * each outbox entry only once its job is queued, and stores queued alerts in MySQL. Job ids and
 * the table's unique alert id make every step safe to repeat.
 */
@Injectable()
export class AlertRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AlertRelayService.name);
  private queue: AlertsQueue | null = null;
  private worker: TypedWorker<typeof ALERTS_QUEUE> | null = null;
  private outbox: OutboxConsumer | null = null;

  constructor(
    @Inject(STOCKWALL_CONFIG) private readonly config: StockwallConfig,
    private readonly writer: AlertWriter,
    private readonly outboxes: OutboxConsumers,
  ) {}

  onApplicationBootstrap(): void {
    const { config, writer } = this;
    this.queue = createAlertsQueue(bullConnection(config.redis.url), config.queue.prefix);
    this.worker = createAlertsWorker(bullConnection(config.redis.url), config.queue.prefix, (alert) =>
      writer.write([alert]),
    );
    this.worker.on('failed', (job, error) =>
      this.logger.warn(`persist-alert ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`),
    );
    this.worker.on('error', (error) => this.logger.warn(`Alerts worker: ${error.message}`));
    this.outbox = this.outboxes.create({
      group: ALERT_RELAY_GROUP,
      handle: (entries) => this.handOn(entries),
      logger: this.logger,
    });
    this.outbox.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.outbox?.stop();
    if (this.queue) await closeWithConnection(this.queue);
    if (this.worker) await closeWithConnection(this.worker);
  }

  private async handOn(entries: OutboxEntry[]): Promise<void> {
    if (!this.queue) throw new Error('the alerts queue is closed');
    await this.queue.addBulk(
      entries.map((entry) => ({
        name: PERSIST_ALERT_JOB,
        data: entry.alert,
        opts: { jobId: alertJobId(entry.alert.id) },
      })),
    );
  }
}

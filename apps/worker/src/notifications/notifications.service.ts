import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { OutboxEntry } from '@stockwall/aggregation';
import { IngestMetrics } from '@stockwall/ingest';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { OutboxConsumer } from '../outbox/outbox-consumer';
import { OutboxConsumers } from '../outbox/outbox-consumers';
import { closeWithConnection, TypedQueue, TypedWorker } from '../queues/bull-queues';
import { WorkerQueues } from '../queues/worker-queues';
import { quietDelayMs, routes } from './chat-message';
import { notificationJobId } from './notification-message';
import { NotificationMetrics } from './notification-metrics';
import {
  isLoggedAttempt,
  NOTIFICATION_BACKOFF_TYPE,
  NotificationBackoff,
  notificationRetryDelayMs,
} from './notification-retry';
import { NotificationSender } from './notification-sender';
import { NOTIFICATIONS_QUEUE, NOTIFY_JOB, NotificationJob, NotificationTarget } from './notification.job';

/** Starts at the end of the outbox: turning notifications on does not send every past alert. */
const NOTIFICATIONS_GROUP = { name: 'notifications', startAt: '$' } as const;
// Completed job ids are kept this long: a relay that re-reads an alert within it adds nothing.
const KEEP_COMPLETED_SECONDS = 7 * 86_400;
// Notifications that used all their attempts stay in the queue's failed set (to inspect or retry
// on the queue board), the newest this many.
const KEEP_EXHAUSTED = 10_000;

/**
 * Alerts → notifications. Reads the alert outbox (written inside the atomic apply) through its
 * own consumer group, so each alert is handed to one worker, and queues one BullMQ job per alert
 * and target with a deterministic id, so a re-delivered alert (a relay died before its ack) never
 * notifies twice. The jobs retry with a capped exponential backoff (by default for more than a
 * day), and one that runs out of attempts is kept, logged and counted. Nothing runs when no target
 * is set.
 */
@Injectable()
export class NotificationsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationsService.name);
  private queue: TypedQueue<typeof NOTIFICATIONS_QUEUE> | null = null;
  private worker: TypedWorker<typeof NOTIFICATIONS_QUEUE> | null = null;
  private sender: NotificationSender | null = null;
  private outbox: OutboxConsumer | null = null;
  private readonly metrics: NotificationMetrics;

  constructor(
    @Inject(STOCKWALL_CONFIG) private readonly config: StockwallConfig,
    private readonly queues: WorkerQueues,
    private readonly outboxes: OutboxConsumers,
    ingestMetrics: IngestMetrics,
  ) {
    // The worker's one registry, served on METRICS_PORT.
    this.metrics = new NotificationMetrics(ingestMetrics.registry);
  }

  onApplicationBootstrap(): void {
    const { config } = this;
    const targets = targetsOf(config.notifications);
    if (targets.length === 0) return;
    const { attempts } = config.notifications;
    const backoff: NotificationBackoff = {
      initialMs: config.notifications.backoffMs,
      maxMs: config.notifications.backoffMaxMs,
    };
    this.metrics.track(targets);
    this.queue = this.queues.open(NOTIFICATIONS_QUEUE, {
      attempts,
      backoff: { type: NOTIFICATION_BACKOFF_TYPE },
      removeOnComplete: { age: KEEP_COMPLETED_SECONDS },
      removeOnFail: { count: KEEP_EXHAUSTED },
    });
    this.sender = new NotificationSender(config.notifications);
    const sender = this.sender;
    this.worker = this.queues.start(NOTIFICATIONS_QUEUE, (job) => sender.send(job.data), {
      concurrency: 8,
      // The job's backoff type names this strategy; the worker that saw the failure computes the wait.
      backoff: (attemptsMade) => notificationRetryDelayMs(attemptsMade, backoff),
    });
    this.worker.on('completed', (job) => this.metrics.sent.inc({ target: job.data.target.kind }));
    this.worker.on('failed', (job, error) => this.onFailed(job, error, attempts));
    this.worker.on('error', (error) => this.logger.warn(`Notifications worker: ${error.message}`));
    this.outbox = this.outboxes.create({
      group: NOTIFICATIONS_GROUP,
      handle: (entries) => this.enqueue(entries, targets),
      logger: this.logger,
      batch: 100,
    });
    this.outbox.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.outbox?.stop();
    if (this.worker) await closeWithConnection(this.worker);
    if (this.queue) await closeWithConnection(this.queue);
    this.sender?.close();
  }

  private onFailed(job: Job<NotificationJob> | undefined, error: Error, attempts: number): void {
    if (!job) {
      this.logger.warn(`A notification failed: ${error.message}`);
      return;
    }
    const target = job.data.target.kind;
    const allowed = job.opts.attempts ?? attempts;
    this.metrics.failedAttempts.inc({ target });
    if (job.attemptsMade >= allowed) {
      this.metrics.exhausted.inc({ target });
      this.logger.error(
        `Notification ${job.id} (${target}, alert ${job.data.alert.id}) gave up after ${job.attemptsMade} attempts, ` +
          `kept in the failed jobs of the ${NOTIFICATIONS_QUEUE} queue: ${error.message}`,
      );
    } else if (isLoggedAttempt(job.attemptsMade)) {
      this.logger.warn(
        `Notification ${job.id} (${target}) failed (attempt ${job.attemptsMade} of ${allowed}, ` +
          `next in ${waitOf(job.delay)}): ${error.message}`,
      );
    }
  }

  /** Queues the entries' jobs (the consumer then acknowledges them: a crash in between re-delivers, and the job ids dedupe). */
  private async enqueue(entries: OutboxEntry[], targets: NotificationTarget[]): Promise<void> {
    if (!this.queue) throw new Error('the notifications queue is closed');
    const alerts = entries.map((entry) => entry.alert);
    const now = Date.now();
    await this.queue.addBulk(
      alerts.flatMap((alert) =>
        targets
          // A chat channel takes only its locations and severities, and waits out its quiet hours.
          .filter((target) => target.kind !== 'chat' || routes(target.channel, alert))
          .map((target) => {
            const delay = target.kind === 'chat' ? quietDelayMs(target.channel, now) : 0;
            return {
              name: NOTIFY_JOB,
              data: { alert, target },
              opts: { jobId: notificationJobId(alert.id, target), ...(delay > 0 ? { delay } : {}) },
            };
          }),
      ),
    );
  }
}

function waitOf(delayMs: number): string {
  return delayMs < 10_000 ? `${delayMs} ms` : `${Math.round(delayMs / 1000)} s`;
}

function targetsOf(config: StockwallConfig['notifications']): NotificationTarget[] {
  const targets: NotificationTarget[] = config.webhookUrls.map((url) => ({ kind: 'webhook', url }));
  if (config.smtpUrl && config.emailTo.length > 0) targets.push({ kind: 'email', to: config.emailTo });
  for (const channel of config.chatChannels) {
    // An SMS channel is one target per number: a failed text retries alone.
    if (channel.format === 'sms')
      targets.push(...channel.phoneNumbers.map((phoneNumber) => ({ kind: 'chat' as const, channel, phoneNumber })));
    else targets.push({ kind: 'chat', channel });
  }
  return targets;
}

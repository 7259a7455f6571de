import { quietDelayMs, routes } from './chat-message';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import type Redis from 'ioredis';
import { parseEncodedAlert } from '@stockwall/aggregation';
import { RedisKeys, StockAlert } from '@stockwall/contracts';
import { IngestMetrics } from '@stockwall/ingest';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { bullConnection, closeWithConnection } from '../persist-queue';
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

const GROUP = 'notifications';
const BATCH = 100;
const STALE_MS = 30_000;
// Completed job ids are kept this long: a relay that re-reads an alert within it adds nothing.
const KEEP_COMPLETED_SECONDS = 7 * 86_400;
// Notifications that used all their attempts stay in the queue's failed set (to inspect or retry
// on the queue board), the newest this many.
const KEEP_EXHAUSTED = 10_000;

type StreamEntries = [string, string[]][];

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
  private connection: Redis | null = null;
  private queue: Queue<NotificationJob> | null = null;
  private worker: Worker<NotificationJob> | null = null;
  private sender: NotificationSender | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly metrics: NotificationMetrics;

  constructor(
    @Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure,
    ingestMetrics: IngestMetrics,
  ) {
    // The worker's one registry, served on METRICS_PORT.
    this.metrics = new NotificationMetrics(ingestMetrics.registry);
  }

  onApplicationBootstrap(): void {
    const { config, redis } = this.infrastructure;
    const targets = targetsOf(config.notifications);
    if (targets.length === 0) return;
    const { attempts } = config.notifications;
    const backoff: NotificationBackoff = {
      initialMs: config.notifications.backoffMs,
      maxMs: config.notifications.backoffMaxMs,
    };
    this.metrics.track(targets);
    this.queue = new Queue<NotificationJob>(NOTIFICATIONS_QUEUE, {
      connection: bullConnection(config.redis.url),
      prefix: config.queue.prefix,
      defaultJobOptions: {
        attempts,
        backoff: { type: NOTIFICATION_BACKOFF_TYPE },
        removeOnComplete: { age: KEEP_COMPLETED_SECONDS },
        removeOnFail: { count: KEEP_EXHAUSTED },
      },
    });
    this.sender = new NotificationSender(config.notifications);
    const sender = this.sender;
    this.worker = new Worker<NotificationJob>(NOTIFICATIONS_QUEUE, (job) => sender.send(job.data), {
      connection: bullConnection(config.redis.url),
      prefix: config.queue.prefix,
      concurrency: 8,
      // The job's backoff type names this strategy; the worker that saw the failure computes the wait.
      settings: { backoffStrategy: (attemptsMade: number) => notificationRetryDelayMs(attemptsMade, backoff) },
    });
    this.worker.on('completed', (job) => this.metrics.sent.inc({ target: job.data.target.kind }));
    this.worker.on('failed', (job, error) => this.onFailed(job, error, attempts));
    this.worker.on('error', (error) => this.logger.warn(`Notifications worker: ${error.message}`));
    // XREADGROUP BLOCK holds its connection.
    this.connection = redis.duplicate();
    this.connection.on('error', () => undefined);
    this.running = true;
    this.loop = this.relay(this.connection, new RedisKeys(config.redis.prefix).alerts(), targets, config.worker.id);
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.connection?.disconnect();
    await this.loop;
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

  private async relay(redis: Redis, key: string, targets: NotificationTarget[], consumer: string): Promise<void> {
    let lastClaim = 0;
    let grouped = false;
    while (this.running) {
      try {
        if (!grouped) grouped = await ensureGroup(redis, key);
        if (Date.now() - lastClaim >= STALE_MS / 2) {
          lastClaim = Date.now();
          const [, stale] = (await redis.xautoclaim(key, GROUP, consumer, STALE_MS, '0-0', 'COUNT', BATCH)) as [
            string,
            StreamEntries,
          ];
          await this.enqueue(redis, key, stale, targets);
        }
        const response = (await redis.xreadgroup(
          'GROUP',
          GROUP,
          consumer,
          'COUNT',
          BATCH,
          'BLOCK',
          1_000,
          'STREAMS',
          key,
          '>',
        )) as [string, StreamEntries][] | null;
        if (response) await this.enqueue(redis, key, response[0][1], targets);
      } catch (error) {
        if (!this.running) return;
        this.logger.warn(`Notification relay: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  /** Queues the entries' jobs, then acknowledges them: a crash in between re-delivers, and the job ids dedupe. */
  private async enqueue(redis: Redis, key: string, entries: StreamEntries, targets: NotificationTarget[]) {
    const alive = entries.filter((entry) => entry && entry[1]);
    if (alive.length === 0 || !this.queue) return;
    const alerts: StockAlert[] = alive.map(([, fields]) => parseEncodedAlert(fields[fields.indexOf('alert') + 1]));
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
    await redis.xack(key, GROUP, ...alive.map(([entryId]) => entryId));
  }
}

function waitOf(delayMs: number): string {
  return delayMs < 10_000 ? `${delayMs} ms` : `${Math.round(delayMs / 1000)} s`;
}

function targetsOf(config: Infrastructure['config']['notifications']): NotificationTarget[] {
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

/** Starts at the end of the outbox: turning notifications on does not send every past alert. */
async function ensureGroup(redis: Redis, key: string): Promise<boolean> {
  try {
    await redis.xgroup('CREATE', key, GROUP, '$', 'MKSTREAM');
  } catch (error) {
    if (!(error as Error).message.includes('BUSYGROUP')) throw error;
  }
  return true;
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import * as nodemailer from 'nodemailer';
import { Counter } from 'prom-client';
import {
  DeliveryOutcome,
  DIGEST_KINDS,
  DigestBusyError,
  DigestDelivery,
  DigestKind,
  DigestLedger,
  DigestSources,
  periodBefore,
  periodHolding,
} from '@stockwall/digests';
import { IngestMetrics } from '@stockwall/ingest';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { DIGEST_JOB, DIGESTS_QUEUE, type DigestJob } from '@stockwall/contracts';
import { persistBackoff } from '../persist-queue';
import { closeWithConnection, TypedQueue, TypedWorker } from '../queues/bull-queues';
import { WorkerQueues } from '../queues/worker-queues';

export { DIGEST_JOB, DIGESTS_QUEUE } from '@stockwall/contracts';
/** The job scheduler of each digest: the same id on every worker, so one job per repeat. */
export const digestSchedulerId = (kind: DigestKind) => `digest-${kind}`;
/** The history, alerts and replenishment reads a digest is made of (see digestSources). */
export const DIGEST_SOURCES = Symbol('DIGEST_SOURCES');

/**
 * The daily and weekly digests: BullMQ job schedulers with a cron pattern in DIGEST_TIME_ZONE,
 * upserted by every `jobs` worker under one id each, and a ledger in Redis that lets one run per
 * period send (docs/notifications.md, "Digests"). Nothing runs without DIGEST_EMAIL_TO and SMTP_URL.
 */
@Injectable()
export class DigestsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DigestsService.name);
  private queue: TypedQueue<typeof DIGESTS_QUEUE> | null = null;
  private worker: TypedWorker<typeof DIGESTS_QUEUE> | null = null;
  private mailer: nodemailer.Transporter | null = null;
  private delivery: DigestDelivery | null = null;
  private readonly sent: Counter<'kind'>;

  constructor(
    @Inject(STOCKWALL_CONFIG) private readonly config: StockwallConfig,
    private readonly queues: WorkerQueues,
    @Inject(DIGEST_SOURCES) private readonly sources: DigestSources,
    private readonly ledger: DigestLedger,
    ingestMetrics: IngestMetrics,
  ) {
    this.sent = new Counter({
      name: 'stockwall_digests_sent_total',
      help: 'Digest e-mails accepted by the SMTP server, by kind (daily, weekly)',
      labelNames: ['kind'],
      registers: [ingestMetrics.registry],
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const { config } = this;
    const { digests, notifications } = config;
    if (digests.to.length === 0 || !notifications.smtpUrl) return;
    for (const kind of DIGEST_KINDS) if (digests[kind]) this.sent.inc({ kind }, 0);
    this.mailer = nodemailer.createTransport(notifications.smtpUrl);
    this.delivery = new DigestDelivery(this.sources, this.ledger, this.mailer, {
      from: notifications.emailFrom,
      to: digests.to,
      worker: config.worker.id,
    });
    this.queue = this.queues.open(DIGESTS_QUEUE, {
      // With the capped backoff (30 s at most) a digest keeps trying for about 20 minutes.
      attempts: 50,
      backoff: { type: 'digest' },
      removeOnComplete: { age: 30 * 86_400 },
      removeOnFail: { count: 1_000 },
    });
    // BullMQ types a scheduler id as a job name; these ids name schedules of the one `digest` job.
    const schedules = this.queue as unknown as Queue<DigestJob>;
    for (const kind of DIGEST_KINDS) {
      const schedule = digests[kind];
      if (schedule) {
        await schedules.upsertJobScheduler(
          digestSchedulerId(kind),
          { pattern: schedule.pattern, tz: digests.timeZone },
          { name: DIGEST_JOB, data: { kind } },
        );
      } else {
        await schedules.removeJobScheduler(digestSchedulerId(kind));
      }
    }
    this.worker = this.queues.start(DIGESTS_QUEUE, (job) => this.run(job), {
      concurrency: 2,
      backoff: persistBackoff,
    });
    this.worker.on('failed', (job, error) => {
      if (error instanceof DigestBusyError || error.name === 'DigestBusyError') return;
      this.logger.warn(`Digest ${job?.data.kind ?? ''} failed (attempt ${job?.attemptsMade ?? '?'}): ${error.message}`);
    });
    this.worker.on('error', (error) => this.logger.warn(`Digests worker: ${error.message}`));
  }

  /** Queues the digest of the period holding `periodStart` (a re-send of a period already sent does nothing). */
  async request(kind: DigestKind, periodStart: number): Promise<void> {
    if (!this.queue) throw new Error('digests are not configured (DIGEST_EMAIL_TO and SMTP_URL)');
    await this.queue.add(DIGEST_JOB, { kind, periodStart });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker) await closeWithConnection(this.worker);
    if (this.queue) await closeWithConnection(this.queue);
    this.mailer?.close();
  }

  private async run(job: Job<DigestJob>): Promise<DeliveryOutcome> {
    const { kind, periodStart } = job.data;
    const timeZone = this.config.digests.timeZone;
    // A scheduled job's prevMillis is the time it was due, the same on a retry.
    const firedAt = (job.opts as { prevMillis?: number }).prevMillis ?? job.timestamp;
    const period =
      periodStart === undefined ? periodBefore(kind, firedAt, timeZone) : periodHolding(kind, periodStart, timeZone);
    const result = await this.delivery!.deliver(period);
    if (result.outcome === 'sent') {
      this.sent.inc({ kind });
      this.logger.log(`Sent the ${kind} digest ${period.label} to ${result.record.recipients.length} recipient(s)`);
      if (!result.marked) {
        this.logger.warn(
          `The ${kind} digest ${period.label} was sent after its claim expired; another run may send it too`,
        );
      }
    }
    return result;
  }
}

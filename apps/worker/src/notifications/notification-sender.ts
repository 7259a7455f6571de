import * as nodemailer from 'nodemailer';
import type { ChatChannel, StockwallConfig } from '@stockwall/config';
import type { StockAlert } from '@stockwall/contracts';
import {
  ALERT_ID_HEADER,
  emailOf,
  SIGNATURE_HEADER,
  signWebhook,
  TIMESTAMP_HEADER,
  webhookBody,
} from './notification-message';
import type { NotificationJob } from './notification.job';
import { slackMessage, teamsMessage } from './chat-message';

const WEBHOOK_TIMEOUT_MS = 10_000;

/** Sends one notification; throws on any failure so the job is retried with backoff. */
export class NotificationSender {
  private readonly mailer: nodemailer.Transporter | null;

  constructor(private readonly config: StockwallConfig['notifications']) {
    this.mailer = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : null;
  }

  async send(job: NotificationJob): Promise<void> {
    switch (job.target.kind) {
      case 'webhook':
        return this.postWebhook(job.target.url, job.alert);
      case 'email':
        return this.sendEmail(job.target.to, job.alert);
      case 'chat':
        return this.postChat(job.target.channel, job.alert);
    }
  }

  close(): void {
    this.mailer?.close();
  }

  private async postWebhook(url: string, alert: StockAlert): Promise<void> {
    const body = webhookBody(alert);
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signWebhook(this.config.webhookSecret ?? '', timestamp, body),
        [TIMESTAMP_HEADER]: String(timestamp),
        [ALERT_ID_HEADER]: alert.id,
      },
      body,
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`webhook ${url} answered ${response.status}`);
  }

  /** Posts the Slack or Teams message; those webhooks take the JSON as is (their URL is the secret). */
  private async postChat(channel: ChatChannel, alert: StockAlert): Promise<void> {
    const message = channel.format === 'slack' ? slackMessage(alert) : teamsMessage(alert);
    const response = await fetch(channel.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [ALERT_ID_HEADER]: alert.id },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`${channel.format} channel ${channel.name} answered ${response.status}`);
  }

  private async sendEmail(to: string[], alert: StockAlert): Promise<void> {
    if (!this.mailer) throw new Error('no SMTP_URL is configured');
    const { subject, text } = emailOf(alert);
    await this.mailer.sendMail({
      from: this.config.emailFrom,
      to,
      subject,
      text,
      headers: { [ALERT_ID_HEADER]: alert.id },
    });
  }
}

import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
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
import { slackMessage, smsText, teamsMessage } from './chat-message';

const DEFAULT_SNS_REGION = 'us-east-1';
type SmsChannel = Extract<ChatChannel, { format: 'sms' }>;
type WebhookChannel = Exclude<ChatChannel, { format: 'sms' }>;

const WEBHOOK_TIMEOUT_MS = 10_000;

/** Sends one notification; throws on any failure so the job is retried with backoff. */
export class NotificationSender {
  private readonly mailer: nodemailer.Transporter | null;
  private readonly sns = new Map<string, SNSClient>();

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
        return job.target.channel.format === 'sms'
          ? this.sendSms(job.target.channel, job.target.phoneNumber ?? '', job.alert)
          : this.postChat(job.target.channel, job.alert);
    }
  }

  close(): void {
    this.mailer?.close();
    for (const client of this.sns.values()) client.destroy();
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

  /** One text through AWS SNS Publish (credentials from the default chain; a client per region and endpoint). */
  private async sendSms(channel: SmsChannel, phoneNumber: string, alert: StockAlert): Promise<void> {
    const key = `${channel.region ?? DEFAULT_SNS_REGION}|${channel.endpoint ?? ''}`;
    let client = this.sns.get(key);
    if (!client) {
      client = new SNSClient({
        region: channel.region ?? DEFAULT_SNS_REGION,
        ...(channel.endpoint ? { endpoint: channel.endpoint } : {}),
        maxAttempts: 1,
      });
      this.sns.set(key, client);
    }
    await client.send(
      new PublishCommand({
        PhoneNumber: phoneNumber,
        Message: smsText(alert),
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      }),
      { abortSignal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) },
    );
  }

  /** Posts the Slack or Teams message; those webhooks take the JSON as is (their URL is the secret). */
  private async postChat(channel: WebhookChannel, alert: StockAlert): Promise<void> {
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

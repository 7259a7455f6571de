import { z } from 'zod';
import { type ChatChannel, chatChannelsSchema } from './chat-channels';
import { commaList, emailList, type EnvironmentReader, type EnvironmentValues, integer } from './environment-values';

/** Alert notifications sent by the workers; none are sent where nothing is configured. */
export interface NotificationsConfig {
  webhookUrls: string[];
  webhookSecret: string | null;
  smtpUrl: string | null;
  emailTo: string[];
  emailFrom: string;
  /** Slack and Teams channels with their routes and quiet hours (NOTIFY_CHANNELS). */
  chatChannels: ChatChannel[];
  /** Attempts per notification; with the defaults they span a bit more than a day. */
  attempts: number;
  /** The wait after the first failure, doubled after each next one… */
  backoffMs: number;
  /** …up to this. */
  backoffMaxMs: number;
}

export const notificationsEnvironment = {
  WEBHOOK_URLS: z
    .string()
    .optional()
    .refine(
      (value) => !value || value.split(',').every((url) => /^https?:\/\/\S+$/.test(url.trim())),
      'must be a comma-separated list of http(s) URLs',
    ),
  WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  SMTP_URL: z
    .string()
    .optional()
    .refine((value) => !value || /^smtps?:\/\/.+/.test(value), 'must be an smtp:// or smtps:// URL'),
  ALERT_EMAIL_TO: emailList(),
  ALERT_EMAIL_FROM: z
    .string()
    .regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address')
    .optional(),
  // 200 attempts from 1 s doubling to 10 min: about 32 h of retries (at least 25 h with jitter).
  NOTIFY_ATTEMPTS: integer(200, 1, 10_000),
  NOTIFY_CHANNELS: chatChannelsSchema,
  NOTIFY_BACKOFF_MS: integer(1_000, 10, 600_000),
  NOTIFY_BACKOFF_MAX_MS: integer(600_000, 10, 86_400_000),
};

export function notificationsConfigOf(values: EnvironmentValues<typeof notificationsEnvironment>): NotificationsConfig {
  return {
    webhookUrls: commaList(values.WEBHOOK_URLS),
    webhookSecret: values.WEBHOOK_SECRET ?? null,
    smtpUrl: values.SMTP_URL ?? null,
    emailTo: commaList(values.ALERT_EMAIL_TO),
    emailFrom: values.ALERT_EMAIL_FROM ?? 'stockwall@localhost',
    chatChannels: values.NOTIFY_CHANNELS,
    attempts: values.NOTIFY_ATTEMPTS,
    backoffMs: values.NOTIFY_BACKOFF_MS,
    backoffMaxMs: values.NOTIFY_BACKOFF_MAX_MS,
  };
}

/** The notifications' checks between variables; the digests are sent through the same SMTP_URL. */
export function notificationsProblems(environment: EnvironmentReader<typeof notificationsEnvironment>): string[] {
  const isSet = (key: string) => environment.isSet(key);
  const problems: string[] = [];
  if (isSet('WEBHOOK_URLS') && !isSet('WEBHOOK_SECRET')) {
    problems.push('WEBHOOK_SECRET: must be set when WEBHOOK_URLS is (webhooks are signed with it)');
  }
  if (isSet('SMTP_URL') && !isSet('ALERT_EMAIL_TO') && !isSet('DIGEST_EMAIL_TO')) {
    problems.push('ALERT_EMAIL_TO: must be set when SMTP_URL is (who receives the alert e-mails)');
  }
  if (isSet('ALERT_EMAIL_TO') && !isSet('SMTP_URL')) {
    problems.push('SMTP_URL: must be set when ALERT_EMAIL_TO is (no alert e-mail is sent without it)');
  }
  if (isSet('DIGEST_EMAIL_TO') && !isSet('SMTP_URL')) {
    problems.push('SMTP_URL: must be set when DIGEST_EMAIL_TO is (the digests are sent through it)');
  }
  const [backoffMs, backoffMaxMs] = [
    environment.value('NOTIFY_BACKOFF_MS'),
    environment.value('NOTIFY_BACKOFF_MAX_MS'),
  ];
  if (backoffMs !== undefined && backoffMaxMs !== undefined && backoffMaxMs < backoffMs) {
    problems.push('NOTIFY_BACKOFF_MAX_MS: must be at least NOTIFY_BACKOFF_MS (the first wait)');
  }
  return problems;
}

import { z } from 'zod';
import { ALERT_SEVERITIES, type ChatChannel } from '@stockwall/contracts';

export { ALERT_SEVERITIES, type AlertSeverity, type ChatChannel } from '@stockwall/contracts';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 22:00');

const route = {
  /** Names the channel in job ids, metrics and logs. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be a short name (letters, digits, _ . -)'),
  /** Only alerts of these locations (default: all). */
  locations: z.array(z.string().min(1).max(64)).min(1).optional(),
  /** Only alerts of these severities (default: all). */
  severities: z.array(z.enum(ALERT_SEVERITIES)).min(1).optional(),
  /** Alerts raised in these hours wait until they end (wall clock of `timeZone`). */
  quietHours: z
    .object({ start: clock, end: clock, timeZone: z.string().min(1).max(64) })
    .strict()
    .optional(),
};

/** One channel alerts go to (NOTIFY_CHANNELS, a JSON list): a chat webhook or SMS through AWS SNS. */
export const chatChannelSchema = z.discriminatedUnion('format', [
  z
    .object({
      ...route,
      /** The incoming-webhook format: Slack blocks or a Microsoft Teams message card. */
      format: z.enum(['slack', 'teams']),
      url: z.string().regex(/^https?:\/\/\S+$/, 'must be the http(s) URL of an incoming webhook'),
    })
    .strict(),
  z
    .object({
      ...route,
      format: z.literal('sms'),
      /** E.164 numbers; each gets one text per alert. */
      phoneNumbers: z
        .array(z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number like +447700900123'))
        .min(1)
        .max(20),
      /** AWS region of SNS (default us-east-1); credentials from the default chain. */
      region: z
        .string()
        .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region')
        .optional(),
      /** Another SNS endpoint (a VPC endpoint, or a local stand-in for tests). */
      endpoint: z
        .string()
        .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL')
        .optional(),
    })
    .strict(),
]);
/** What the schema reads is the ChatChannel the notification jobs carry (libs/contracts); this fails to compile when they part. */
const readsChatChannel: (channel: z.output<typeof chatChannelSchema>) => ChatChannel = (channel) => channel;
void readsChatChannel;

/** NOTIFY_CHANNELS: a JSON array of chat channels; names are unique. */
export const chatChannelsSchema = z
  .string()
  .optional()
  .transform((text, context) => {
    if (text === undefined || text.trim() === '') return [];
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      context.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a JSON array of channels' });
      return z.NEVER;
    }
    const parsed = z.array(chatChannelSchema).max(50).safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      context.addIssue({ code: z.ZodIssueCode.custom, message: `${issue.path.join('.')}: ${issue.message}` });
      return z.NEVER;
    }
    const names = parsed.data.map((channel) => channel.name);
    if (new Set(names).size !== names.length) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: 'channel names must be unique' });
      return z.NEVER;
    }
    return parsed.data;
  });

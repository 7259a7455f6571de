import type { ChatChannel } from '@stockwall/config';
import type { StockAlert } from '@stockwall/contracts';

export const NOTIFICATIONS_QUEUE = 'notifications';
export const NOTIFY_JOB = 'notify';

export type NotificationTarget =
  | { kind: 'webhook'; url: string }
  | { kind: 'email'; to: string[] }
  /** A Slack or Teams channel, or one phone number of an SMS channel (NOTIFY_CHANNELS), routed by location and severity. */
  | { kind: 'chat'; channel: ChatChannel; phoneNumber?: string };

/** One alert to one target: a failing webhook retries alone, never re-sending to the others. */
export interface NotificationJob {
  alert: StockAlert;
  target: NotificationTarget;
}

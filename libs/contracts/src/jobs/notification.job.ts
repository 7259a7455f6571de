import type { StockAlert } from '../kpis/kpi-types';
import type { QueueName } from './job-map';

export const NOTIFICATIONS_QUEUE = 'notifications' satisfies QueueName;
export const NOTIFY_JOB = 'notify';

/** How serious an alert is: out of stock is critical, low stock a warning, back in stock news. */
export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** Which alerts a chat channel takes, and when (NOTIFY_CHANNELS; validated in the config). */
export interface ChatRoute {
  /** Names the channel in job ids, metrics and logs. */
  name: string;
  /** Only alerts of these locations (default: all). */
  locations?: string[];
  /** Only alerts of these severities (default: all). */
  severities?: AlertSeverity[];
  /** Alerts raised in these hours wait until they end (wall clock of `timeZone`). */
  quietHours?: { start: string; end: string; timeZone: string };
}

/** A chat webhook (Slack blocks or a Teams message card) or SMS through AWS SNS. */
export type ChatChannel =
  | (ChatRoute & { format: 'slack' | 'teams'; url: string })
  | (ChatRoute & { format: 'sms'; phoneNumbers: string[]; region?: string; endpoint?: string });

export type NotificationTarget =
  | { kind: 'webhook'; url: string }
  | { kind: 'email'; to: string[] }
  /** A Slack or Teams channel, or one phone number of an SMS channel, routed by location and severity. */
  | { kind: 'chat'; channel: ChatChannel; phoneNumber?: string };

/** One alert to one target: a failing webhook retries alone, never re-sending to the others. */
export interface NotificationJob {
  alert: StockAlert;
  target: NotificationTarget;
}

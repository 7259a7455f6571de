import { createHash, createHmac } from 'node:crypto';
import type { StockAlert } from '@stockwall/contracts';
import type { NotificationTarget } from './notification.job';

export const SIGNATURE_HEADER = 'x-stockwall-signature';
export const TIMESTAMP_HEADER = 'x-stockwall-timestamp';
export const ALERT_ID_HEADER = 'x-stockwall-alert-id';

/**
 * The job id of one alert to one target. Every worker relaying the same alert computes the same
 * id, and BullMQ keeps one job per id: one notification per alert and target, however many run.
 * Hashed because alert ids carry SKUs, which may contain the ':' BullMQ ids may not.
 */
export function notificationJobId(alertId: string, target: NotificationTarget): string {
  const targetKey =
    target.kind === 'webhook'
      ? `webhook|${target.url}`
      : target.kind === 'chat'
        ? `chat|${target.channel.name}|${target.channel.format === 'sms' ? target.phoneNumber : target.channel.url}`
        : `email|${[...target.to].sort().join(',')}`;
  return `notify-${createHash('sha256').update(`${alertId}\n${targetKey}`).digest('hex').slice(0, 40)}`;
}

export function webhookBody(alert: StockAlert): string {
  return JSON.stringify({ type: `stock.${alert.kind}`, alert });
}

/**
 * `sha256=<hex HMAC of "<timestamp>.<body>">`: the receiver recomputes it with the shared
 * secret; the signed timestamp lets it refuse replays.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const TITLES: Record<StockAlert['kind'], string> = {
  low_stock: 'Low stock',
  out_of_stock: 'Out of stock',
  back_in_stock: 'Back in stock',
};

export function emailOf(alert: StockAlert): { subject: string; text: string } {
  const lines = [
    `${TITLES[alert.kind]}: ${alert.sku} at ${alert.location}`,
    '',
    `Available: ${alert.available}`,
    `Reorder point: ${alert.reorderPoint ?? 'none'}`,
    `When: ${alert.occurredAt}`,
  ];
  if (alert.stockoutMs !== null) lines.push(`Out of stock for: ${Math.round(alert.stockoutMs / 60_000)} min`);
  lines.push('', `Alert id: ${alert.id}`);
  return { subject: `[Stockwall] ${TITLES[alert.kind]}: ${alert.sku} (${alert.location})`, text: lines.join('\n') };
}

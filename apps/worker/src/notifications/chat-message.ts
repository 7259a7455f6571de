import type { AlertSeverity, ChatChannel } from '@stockwall/config';
import type { StockAlert } from '@stockwall/contracts';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;

const SEVERITIES: Record<StockAlert['kind'], AlertSeverity> = {
  out_of_stock: 'critical',
  low_stock: 'warning',
  back_in_stock: 'info',
};
const TITLES: Record<StockAlert['kind'], string> = {
  low_stock: 'Low stock',
  out_of_stock: 'Out of stock',
  back_in_stock: 'Back in stock',
};
const COLOURS: Record<AlertSeverity, string> = { critical: 'D55E00', warning: 'E69F00', info: '0072B2' };

export function severityOf(alert: StockAlert): AlertSeverity {
  return SEVERITIES[alert.kind];
}

/** Whether the channel takes the alert: its location and severity are among the channel's (when it lists any). */
export function routes(channel: ChatChannel, alert: StockAlert): boolean {
  return (
    (channel.locations === undefined || channel.locations.includes(alert.location)) &&
    (channel.severities === undefined || channel.severities.includes(severityOf(alert)))
  );
}

/**
 * How long a notification raised at `now` waits for the channel's quiet hours to end (0 outside
 * them). Quiet hours may run past midnight (22:00-07:00); the clock is the channel's time zone.
 */
export function quietDelayMs(channel: ChatChannel, now: number): number {
  if (!channel.quietHours) return 0;
  const { start, end, timeZone } = channel.quietHours;
  const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric' })
    .formatToParts(new Date(now))
    .reduce<Record<string, number>>((fields, part) => ({ ...fields, [part.type]: Number(part.value) }), {});
  const current = parts.hour * 60 + parts.minute;
  const [from, to] = [minutes(start), minutes(end)];
  const quiet = from <= to ? current >= from && current < to : current >= from || current < to;
  if (!quiet) return 0;
  const wait = (to - current + DAY_MINUTES) % DAY_MINUTES;
  // To the start of the end minute, less the seconds already gone in this one.
  return Math.max(0, wait * MINUTE_MS - (now % MINUTE_MS));
}

function lines(alert: StockAlert): string[] {
  return [
    `Available: ${alert.available}`,
    `Reorder point: ${alert.reorderPoint ?? 'none'}`,
    `When: ${alert.occurredAt}`,
    ...(alert.stockoutMs !== null ? [`Out of stock for: ${Math.round(alert.stockoutMs / MINUTE_MS)} min`] : []),
  ];
}

/** An SMS: one line, short enough for a single text. */
export function smsText(alert: StockAlert): string {
  return `Stockwall ${severityOf(alert)}: ${TITLES[alert.kind]} ${alert.sku} at ${alert.location}, available ${alert.available}`.slice(
    0,
    160,
  );
}

/** A Slack incoming-webhook message: a text fallback and one section block. */
export function slackMessage(alert: StockAlert): object {
  const title = `${TITLES[alert.kind]}: ${alert.sku} at ${alert.location}`;
  return {
    text: `[${severityOf(alert)}] ${title}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title } },
      { type: 'section', text: { type: 'mrkdwn', text: lines(alert).join('\n') } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Severity: ${severityOf(alert)} · Alert ${alert.id}` }] },
    ],
  };
}

/** A Microsoft Teams incoming-webhook message card. */
export function teamsMessage(alert: StockAlert): object {
  const title = `${TITLES[alert.kind]}: ${alert.sku} at ${alert.location}`;
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: title,
    themeColor: COLOURS[severityOf(alert)],
    title,
    sections: [
      {
        facts: [
          { name: 'Severity', value: severityOf(alert) },
          ...lines(alert).map((line) => {
            const [name, ...rest] = line.split(': ');
            return { name, value: rest.join(': ') };
          }),
          { name: 'Alert id', value: alert.id },
        ],
      },
    ],
  };
}

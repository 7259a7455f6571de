import type { AlertKind, StockAlert } from '@stockwall/contracts';
import type { Tone } from '../components/ui/tone';

/** An alert as the feed holds it: the wire alert plus when it arrived. */
export interface FeedAlert extends StockAlert {
  /** Epoch ms when the alert reached this screen. */
  receivedAt: number;
}

/** How many alerts the feed keeps; older ones fall off the end. */
export const ALERT_FEED_LIMIT = 50;

export const ALERT_KIND_DISPLAY: Record<AlertKind, { label: string; tone: Tone }> = {
  out_of_stock: { label: 'Out', tone: 'bad' },
  low_stock: { label: 'Low', tone: 'warn' },
  back_in_stock: { label: 'Back', tone: 'ok' },
};

/**
 * Adds one alert to the feed, newest event time first (equal times: the one received last first),
 * at most `limit` long. An alert already held (same id) is not added twice.
 */
export function addAlert(
  feed: readonly FeedAlert[],
  alert: StockAlert,
  receivedAt: number,
  limit = ALERT_FEED_LIMIT,
): FeedAlert[] {
  if (feed.some((held) => held.id === alert.id)) return feed as FeedAlert[];
  const entry: FeedAlert = { ...alert, receivedAt };
  const time = Date.parse(alert.occurredAt);
  const at = feed.findIndex((held) => Date.parse(held.occurredAt) <= time);
  const next = at === -1 ? [...feed, entry] : [...feed.slice(0, at), entry, ...feed.slice(at)];
  return next.length > limit ? next.slice(0, limit) : next;
}

/**
 * Folds the alerts of a subscribe's snapshot (newest first, as the server sends them) into the
 * feed: those raised while the screen was away join it, those already held stay as they are.
 */
export function mergeAlerts(
  feed: readonly FeedAlert[],
  snapshot: readonly StockAlert[],
  receivedAt: number,
  limit = ALERT_FEED_LIMIT,
): FeedAlert[] {
  let merged = feed as FeedAlert[];
  // Oldest first, so that alerts of the same event time keep the server's order.
  for (let index = snapshot.length - 1; index >= 0; index--) {
    merged = addAlert(merged, snapshot[index], receivedAt, limit);
  }
  return merged;
}

import { formatAge } from '../../lib/format';
import type { ConnectionStatus } from '../../lib/live-connection.svelte';
import type { Tone } from '../../components/ui/tone';

/**
 * The server sends a heartbeat whenever it sent nothing else for a few seconds, so silence while
 * connected means the connection (or the server) is stuck: amber past this, red past the next.
 */
export const STALE_AFTER_SECONDS = 10;
export const SILENT_DOWN_AFTER_SECONDS = 30;
/**
 * A healthy change feed reads at least every second. Messages still arriving while its last read
 * grows old mean the pipeline behind the server is stuck (Redis): amber past this, red past the next.
 */
export const FEED_STALE_AFTER_SECONDS = 10;
export const FEED_DOWN_AFTER_SECONDS = 60;

/** Event times further back than this (a replay of old data) are shown as times, not as ages. */
export const MAX_EVENT_AGE_SECONDS = 24 * 60 * 60;

export type Freshness = 'fresh' | 'stale' | 'down' | 'waiting';

/** What is stuck when the wall is not fresh while connected: the socket, or the feed behind the server. */
export type Stall = 'connection' | 'pipeline';

export interface WallFreshness {
  level: Freshness;
  stall: Stall | null;
}

export interface FreshnessInput {
  status: ConnectionStatus;
  /** Since the last acknowledgement or message of any kind, heartbeats included. */
  secondsSinceMessage: number | null;
  /** Since the server last read its change feed (from its heartbeats); null when unknown. */
  secondsSinceFeedRead: number | null;
}

export function freshnessOf({ status, secondsSinceMessage, secondsSinceFeedRead }: FreshnessInput): WallFreshness {
  if (status !== 'live') {
    return { level: secondsSinceMessage === null && status === 'connecting' ? 'waiting' : 'down', stall: null };
  }
  if (secondsSinceMessage === null) return { level: 'waiting', stall: null };
  // Nothing heard at all: what the feed did last says nothing about now.
  if (secondsSinceMessage > STALE_AFTER_SECONDS) {
    return { level: secondsSinceMessage > SILENT_DOWN_AFTER_SECONDS ? 'down' : 'stale', stall: 'connection' };
  }
  if (secondsSinceFeedRead !== null && secondsSinceFeedRead > FEED_STALE_AFTER_SECONDS) {
    return { level: secondsSinceFeedRead > FEED_DOWN_AFTER_SECONDS ? 'down' : 'stale', stall: 'pipeline' };
  }
  return { level: 'fresh', stall: null };
}

/** The words beside the status pill: how long ago the server was heard, or what is stuck and since when. */
export function freshnessText(freshness: WallFreshness, input: FreshnessInput): string {
  const { status, secondsSinceMessage, secondsSinceFeedRead } = input;
  if (freshness.stall === 'pipeline' && secondsSinceFeedRead !== null) {
    return `connected, but no changes read for ${formatAge(secondsSinceFeedRead)}: pipeline stalled`;
  }
  if (freshness.stall === 'connection' && secondsSinceMessage !== null) {
    return `nothing heard for ${formatAge(secondsSinceMessage)}: connection stalled`;
  }
  if (secondsSinceMessage !== null) return `updated ${formatAge(secondsSinceMessage)} ago`;
  return status === 'connecting' ? 'waiting for data' : 'no data';
}

export const STATUS_TONE: Record<ConnectionStatus, Tone> = {
  connecting: 'info',
  live: 'ok',
  reconnecting: 'warn',
  offline: 'bad',
  unauthorized: 'bad',
};

export const FRESHNESS_TONE: Record<Freshness, Tone> = {
  fresh: 'ok',
  stale: 'warn',
  down: 'bad',
  waiting: 'muted',
};

/**
 * How far the latest event the figures reflect is behind the wall clock, in whole seconds; null
 * without a watermark or when it is more than a day old (a replay), where an age says nothing.
 */
export function watermarkAgeSeconds(watermark: string | null, now: number): number | null {
  if (watermark === null) return null;
  const at = Date.parse(watermark);
  if (Number.isNaN(at)) return null;
  const seconds = Math.max(0, Math.floor((now - at) / 1000));
  return seconds > MAX_EVENT_AGE_SECONDS ? null : seconds;
}

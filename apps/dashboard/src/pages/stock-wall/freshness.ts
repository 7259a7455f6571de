import type { ConnectionStatus } from '../../lib/live-connection.svelte';
import type { Tone } from '../../components/ui/tone';

/** No message for longer than this while connected turns the wall amber. */
export const STALE_AFTER_SECONDS = 10;

/** Event times further back than this (a replay of old data) are shown as times, not as ages. */
export const MAX_EVENT_AGE_SECONDS = 24 * 60 * 60;

export type Freshness = 'fresh' | 'stale' | 'down' | 'waiting';

export function freshnessOf(status: ConnectionStatus, secondsSinceMessage: number | null): Freshness {
  if (status !== 'live') return secondsSinceMessage === null && status === 'connecting' ? 'waiting' : 'down';
  if (secondsSinceMessage === null) return 'waiting';
  return secondsSinceMessage > STALE_AFTER_SECONDS ? 'stale' : 'fresh';
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

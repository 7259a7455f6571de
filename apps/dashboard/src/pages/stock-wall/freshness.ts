import type { ConnectionStatus } from '../../lib/live-stock.svelte';
import type { Tone } from '../../components/ui/tone';

/** No message for longer than this while connected turns the wall amber. */
export const STALE_AFTER_SECONDS = 10;

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

import { describe, expect, it } from '@jest/globals';
import {
  FEED_DOWN_AFTER_SECONDS,
  FEED_STALE_AFTER_SECONDS,
  freshnessOf,
  freshnessText,
  MAX_EVENT_AGE_SECONDS,
  SILENT_DOWN_AFTER_SECONDS,
  STALE_AFTER_SECONDS,
  watermarkAgeSeconds,
  type FreshnessInput,
} from './freshness';

describe(watermarkAgeSeconds.name, () => {
  const now = Date.UTC(2024, 5, 1, 8, 0, 30);

  it('is how far the latest event is behind the wall clock, in whole seconds', () => {
    expect(watermarkAgeSeconds('2024-06-01T08:00:25.400Z', now)).toBe(4);
    expect(watermarkAgeSeconds('2024-06-01T08:00:31.000Z', now)).toBe(0);
  });

  it('is none without a watermark, or for a replay of old events', () => {
    expect(watermarkAgeSeconds(null, now)).toBeNull();
    expect(watermarkAgeSeconds('not a time', now)).toBeNull();
    expect(watermarkAgeSeconds(new Date(now - (MAX_EVENT_AGE_SECONDS + 1) * 1000).toISOString(), now)).toBeNull();
  });
});

describe(freshnessOf.name, () => {
  const live = (secondsSinceMessage: number | null, secondsSinceFeedRead: number | null = 0): FreshnessInput => ({
    status: 'live',
    secondsSinceMessage,
    secondsSinceFeedRead,
  });

  it('is fresh while messages (heartbeats included) come and the feed is read', () => {
    expect(freshnessOf(live(0))).toEqual({ level: 'fresh', stall: null });
    expect(freshnessOf(live(STALE_AFTER_SECONDS, FEED_STALE_AFTER_SECONDS))).toEqual({ level: 'fresh', stall: null });
    // Heartbeats withheld because deltas keep coming: the feed age is unknown, and fine.
    expect(freshnessOf(live(1, null))).toEqual({ level: 'fresh', stall: null });
  });

  it('blames the connection when nothing was heard: amber, then red', () => {
    expect(freshnessOf(live(STALE_AFTER_SECONDS + 1))).toEqual({ level: 'stale', stall: 'connection' });
    expect(freshnessOf(live(SILENT_DOWN_AFTER_SECONDS + 1))).toEqual({ level: 'down', stall: 'connection' });
    // Silence wins over an old feed read: the last heartbeat's news is old too.
    expect(freshnessOf(live(STALE_AFTER_SECONDS + 1, FEED_DOWN_AFTER_SECONDS + 1)).stall).toBe('connection');
  });

  it('blames the pipeline when heartbeats come but the feed was not read lately: amber, then red', () => {
    expect(freshnessOf(live(2, FEED_STALE_AFTER_SECONDS + 1))).toEqual({ level: 'stale', stall: 'pipeline' });
    expect(freshnessOf(live(2, FEED_DOWN_AFTER_SECONDS + 1))).toEqual({ level: 'down', stall: 'pipeline' });
  });

  it('waits before the first message, and is down while not connected', () => {
    expect(freshnessOf(live(null))).toEqual({ level: 'waiting', stall: null });
    expect(freshnessOf({ status: 'connecting', secondsSinceMessage: null, secondsSinceFeedRead: null }).level).toBe(
      'waiting',
    );
    expect(freshnessOf({ status: 'reconnecting', secondsSinceMessage: 3, secondsSinceFeedRead: 50 })).toEqual({
      level: 'down',
      stall: null,
    });
  });
});

describe(freshnessText.name, () => {
  function textOf(input: FreshnessInput): string {
    return freshnessText(freshnessOf(input), input);
  }

  it('says how long ago the server was heard, or what is stalled and for how long', () => {
    expect(textOf({ status: 'live', secondsSinceMessage: 2, secondsSinceFeedRead: 1 })).toBe('updated 2s ago');
    expect(textOf({ status: 'live', secondsSinceMessage: 14, secondsSinceFeedRead: 1 })).toBe(
      'nothing heard for 14s: connection stalled',
    );
    expect(textOf({ status: 'live', secondsSinceMessage: 1, secondsSinceFeedRead: 95 })).toBe(
      'connected, but no changes read for 1m 35s: pipeline stalled',
    );
    expect(textOf({ status: 'connecting', secondsSinceMessage: null, secondsSinceFeedRead: null })).toBe(
      'waiting for data',
    );
    expect(textOf({ status: 'offline', secondsSinceMessage: null, secondsSinceFeedRead: null })).toBe('no data');
  });
});

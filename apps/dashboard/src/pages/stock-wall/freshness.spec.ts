import { describe, expect, it } from '@jest/globals';
import { freshnessOf, MAX_EVENT_AGE_SECONDS, STALE_AFTER_SECONDS, watermarkAgeSeconds } from './freshness';

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
  it('turns stale when nothing came for a while, down when not connected', () => {
    expect(freshnessOf('live', 0)).toBe('fresh');
    expect(freshnessOf('live', STALE_AFTER_SECONDS + 1)).toBe('stale');
    expect(freshnessOf('live', null)).toBe('waiting');
    expect(freshnessOf('connecting', null)).toBe('waiting');
    expect(freshnessOf('reconnecting', 3)).toBe('down');
  });
});

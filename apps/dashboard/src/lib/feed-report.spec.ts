import { describe, expect, it } from '@jest/globals';
import type { LiveHeartbeat } from '@stockwall/contracts';
import { feedAgeSeconds, feedReportOf, HEARTBEAT_WITHHELD_AFTER_MS } from './feed-report';

function buildHeartbeat(overrides: Partial<LiveHeartbeat> = {}): LiveHeartbeat {
  return {
    version: 42,
    serverTime: '2024-06-01T08:00:10.000Z',
    feedReadAt: '2024-06-01T08:00:09.400Z',
    ...overrides,
  };
}

describe(feedReportOf.name, () => {
  it("measures the feed's lag on the server's clock, whatever this screen's clock says", () => {
    expect(feedReportOf(buildHeartbeat(), 5)).toEqual({ lagMs: 600, receivedAt: 5 });
  });

  it('knows no lag before the feed read at all, or from a time it cannot read', () => {
    expect(feedReportOf(buildHeartbeat({ feedReadAt: null }), 5).lagMs).toBeNull();
    expect(feedReportOf(buildHeartbeat({ serverTime: 'garbled' }), 5).lagMs).toBeNull();
  });
});

describe(feedAgeSeconds.name, () => {
  const receivedAt = 1_000_000;

  it("is the heartbeat's lag plus the time since it arrived", () => {
    const sut = feedReportOf(buildHeartbeat({ feedReadAt: '2024-06-01T08:00:05.000Z' }), receivedAt);

    expect(feedAgeSeconds(sut, receivedAt, receivedAt)).toBe(5);
    expect(feedAgeSeconds(sut, receivedAt, receivedAt + 7_500)).toBe(12);
  });

  it('is unknown without a report, or before the feed first read', () => {
    expect(feedAgeSeconds(null, receivedAt, receivedAt)).toBeNull();
    expect(feedAgeSeconds(feedReportOf(buildHeartbeat({ feedReadAt: null }), receivedAt), receivedAt, receivedAt)).toBe(
      null,
    );
  });

  it('is unknown when other messages kept coming and heartbeats were withheld (the feed is busy)', () => {
    const sut = feedReportOf(buildHeartbeat(), receivedAt);
    const later = receivedAt + HEARTBEAT_WITHHELD_AFTER_MS + 1_000;

    expect(feedAgeSeconds(sut, later - 200, later)).toBeNull();
    // Nothing heard since the report: the age keeps growing (the connection is stalled too).
    expect(feedAgeSeconds(sut, receivedAt, later)).toBe(Math.floor((600 + HEARTBEAT_WITHHELD_AFTER_MS + 1_000) / 1000));
    // Heard since, but recently enough that a heartbeat could still be due: the report stands.
    expect(feedAgeSeconds(sut, receivedAt + 2_000, receivedAt + 4_000)).toBe(4);
  });
});

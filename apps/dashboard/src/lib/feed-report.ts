import type { LIVE_HEARTBEAT_MS, LiveHeartbeat } from '@stockwall/contracts';

/** Checked against the contract at compile time; only types cross into the bundle. */
const HEARTBEAT_MS: typeof LIVE_HEARTBEAT_MS = 3_000;

/** What the server's last heartbeat said about its change feed. */
export interface FeedReport {
  /**
   * How long before the heartbeat left the server the feed last read the change stream, in ms of
   * the server's own clock (so clock skew does not matter); null when it had not read yet.
   */
  lagMs: number | null;
  /** Epoch ms (this screen's clock) when the heartbeat arrived. */
  receivedAt: number;
}

/**
 * Heartbeats go only to a socket that was sent nothing for `LIVE_HEARTBEAT_MS` (checked every
 * second). Without a working change feed nothing is sent to a socket that often, so a heartbeat
 * comes at least every ~6 s; other messages with no heartbeat for longer than this mean the feed
 * is busy, and the last report is out of date.
 */
export const HEARTBEAT_WITHHELD_AFTER_MS = 2 * (HEARTBEAT_MS + 1_000);

export function feedReportOf(heartbeat: LiveHeartbeat, receivedAt: number): FeedReport {
  const sentAt = Date.parse(heartbeat.serverTime);
  const readAt = heartbeat.feedReadAt === null ? Number.NaN : Date.parse(heartbeat.feedReadAt);
  const lagMs = Number.isNaN(sentAt) || Number.isNaN(readAt) ? null : Math.max(0, sentAt - readAt);
  return { lagMs, receivedAt };
}

/**
 * Whole seconds since the server last read its change feed, as of `now`: the heartbeat's lag plus
 * the time since it arrived. Null when unknown: no heartbeat yet, a feed that had not read yet,
 * or heartbeats withheld because other messages keep coming (the feed is being read).
 */
export function feedAgeSeconds(report: FeedReport | null, lastMessageAt: number | null, now: number): number | null {
  if (report === null || report.lagMs === null) return null;
  const sinceReport = Math.max(0, now - report.receivedAt);
  const heardSince = lastMessageAt !== null && lastMessageAt > report.receivedAt;
  if (heardSince && sinceReport > HEARTBEAT_WITHHELD_AFTER_MS) return null;
  return Math.floor((report.lagMs + sinceReport) / 1000);
}

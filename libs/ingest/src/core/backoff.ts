/** Jittered exponential backoff and call spacing: plain math, so the poller's waits are testable. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const THROTTLE_BACKOFF: BackoffPolicy = { baseMs: 100, maxMs: 5_000 };

/**
 * "Equal jitter": half the exponential ceiling is always waited, the other half is random, so
 * throttled pollers of many shards spread out instead of retrying in lock step.
 * `random` returns a number in [0, 1).
 */
export function jitteredBackoff(failures: number, random: () => number, policy: BackoffPolicy = THROTTLE_BACKOFF) {
  const exponent = Math.min(Math.max(failures - 1, 0), 20);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Milliseconds to wait before the next call so a shard sees at most `callsPerSecond` calls a second. */
export function waitForCallSlot(lastCallAt: number, now: number, callsPerSecond: number): number {
  const interval = Math.ceil(1000 / callsPerSecond);
  return Math.max(0, lastCallAt + interval - now);
}

/** The idle wait: none while the shard is behind, the configured pause once caught up. */
export function idleWait(recordCount: number, millisBehindLatest: number, idleWaitMs: number): number {
  return recordCount === 0 && millisBehindLatest === 0 ? idleWaitMs : 0;
}

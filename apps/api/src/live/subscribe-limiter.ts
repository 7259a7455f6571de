/** How often one socket may subscribe: a burst, then a steady rate (a token bucket per socket). */
export interface SubscribeLimits {
  burst: number;
  perMinute: number;
}

export interface SubscribeBucket {
  tokens: number;
  refilledAt: number;
}

export type SubscribeAllowance =
  { allowed: true; bucket: SubscribeBucket } | { allowed: false; bucket: SubscribeBucket; retryAfterMs: number };

/**
 * Takes one subscribe from the socket's bucket (a new socket starts full). A client that resyncs
 * after a gap or a reconnect subscribes a few times a minute at most; a loop of subscribes, each
 * reading a whole snapshot, is refused with the wait until the next one is allowed.
 */
export function takeSubscribe(
  bucket: SubscribeBucket | undefined,
  limits: SubscribeLimits,
  now: number,
): SubscribeAllowance {
  const msPerToken = 60_000 / limits.perMinute;
  const current = bucket ?? { tokens: limits.burst, refilledAt: now };
  const elapsed = Math.max(0, now - current.refilledAt);
  const tokens = Math.min(limits.burst, current.tokens + elapsed / msPerToken);
  if (tokens >= 1) return { allowed: true, bucket: { tokens: tokens - 1, refilledAt: now } };
  return { allowed: false, bucket: { tokens, refilledAt: now }, retryAfterMs: Math.ceil((1 - tokens) * msPerToken) };
}

/**
 * Drops the buckets that have had time to refill since they were last used: a full bucket is what
 * a new one would be, so only those still refilling are kept (one map entry per recent holder).
 */
export function forgetRefilled(buckets: Map<string, SubscribeBucket>, limits: SubscribeLimits, now: number): void {
  const refillMs = (limits.burst * 60_000) / limits.perMinute;
  for (const [holder, bucket] of buckets) {
    if (now - bucket.refilledAt > refillMs) buckets.delete(holder);
  }
}

import { KPI_WINDOW_SPECS, KpiWindow, MINUTE_MS, QUARTER_MS } from '@stockwall/contracts';

/** Bucket sizes every sale is counted in: minutes (1m to 1h windows) and quarter hours (24h). */
export const BUCKET_SIZES_MS = [MINUTE_MS, QUARTER_MS] as const;

export function bucketStart(time: number, bucketMs: number): number {
  return Math.floor(time / bucketMs) * bucketMs;
}

/**
 * The buckets a window ending at `watermark` is made of: the bucket holding the watermark and
 * the ones before it, as many as fit in the window. So the 15m window at 10:07:30 covers the
 * minutes 09:53 to 10:07 inclusive (events from 09:53:00.000 to the watermark).
 */
export function windowBuckets(window: KpiWindow, watermark: number): { bucketMs: number; starts: number[] } {
  const { lengthMs, bucketMs } = KPI_WINDOW_SPECS[window];
  const last = bucketStart(watermark, bucketMs);
  const count = lengthMs / bucketMs;
  const starts = Array.from({ length: count }, (_, index) => last - (count - 1 - index) * bucketMs);
  return { bucketMs, starts };
}

/** First instant a window ending at `watermark` covers. */
export function windowStart(window: KpiWindow, watermark: number): number {
  return windowBuckets(window, watermark).starts[0];
}

/**
 * An event is late when its minute closed more than the allowed lateness before the watermark
 * the batch meets: `minute start + 1 minute + lateness <= watermark`. Late events change stock
 * but not the windows, and are counted. The Lua apply uses the same rule.
 */
export function isLate(occurredAt: number, watermark: number | null, allowedLatenessMs: number): boolean {
  if (watermark === null) return false;
  return bucketStart(occurredAt, MINUTE_MS) + MINUTE_MS + allowedLatenessMs <= watermark;
}

/** How long a bucket must be kept: the longest window, one coarse bucket and the lateness. */
export function bucketRetentionMs(allowedLatenessMs: number): number {
  return KPI_WINDOW_SPECS['24h'].lengthMs + QUARTER_MS + allowedLatenessMs;
}

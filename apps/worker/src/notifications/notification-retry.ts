/** The BullMQ backoff type of notification jobs, computed by notificationRetryDelayMs. */
export const NOTIFICATION_BACKOFF_TYPE = 'notification-capped-exponential';

/** Largest share of a wait the jitter takes off; it never lengthens one. */
export const NOTIFICATION_RETRY_JITTER = 0.2;

export interface NotificationBackoff {
  /** The wait after the first failure. */
  initialMs: number;
  /** No wait is longer than this. */
  maxMs: number;
}

/**
 * The wait before retry `retry` (1 after the first failure): `initialMs` doubled each time up to
 * `maxMs`, shortened by up to a fifth at random so notifications that failed together (a receiver
 * down for everyone) do not come back all at once.
 */
export function notificationRetryDelayMs(
  retry: number,
  backoff: NotificationBackoff,
  random: () => number = Math.random,
): number {
  // 2 ** a large exponent is Infinity, which the cap absorbs.
  const nominal = Math.min(backoff.maxMs, backoff.initialMs * 2 ** (Math.max(1, retry) - 1));
  return Math.round(nominal * (1 - NOTIFICATION_RETRY_JITTER * random()));
}

/** How long a notification of `attempts` attempts keeps being retried: the sum of its waits. */
export function notificationRetrySpanMs(
  attempts: number,
  backoff: NotificationBackoff,
  random: () => number = Math.random,
): number {
  let total = 0;
  for (let retry = 1; retry < attempts; retry++) total += notificationRetryDelayMs(retry, backoff, random);
  return total;
}

/**
 * Failed attempts worth a log line: the 1st, 2nd, 4th, 8th… A notification retried for a day
 * logs a handful of lines, not one every few minutes.
 */
export function isLoggedAttempt(attemptsMade: number): boolean {
  return attemptsMade >= 1 && (attemptsMade & (attemptsMade - 1)) === 0;
}

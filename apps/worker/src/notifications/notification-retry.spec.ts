import { loadConfig } from '@stockwall/config';
import {
  isLoggedAttempt,
  notificationRetryDelayMs,
  notificationRetrySpanMs,
  NOTIFICATION_RETRY_JITTER,
} from './notification-retry';

const backoff = { initialMs: 1_000, maxMs: 600_000 };
const noJitter = () => 0;
const fullJitter = () => 0.999_999;

describe(notificationRetryDelayMs.name, () => {
  it('doubles from the first wait and stops at the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 200, 100_000].map((retry) =>
      notificationRetryDelayMs(retry, backoff, noJitter),
    );

    expect(delays).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 512_000, 600_000, 600_000, 600_000, 600_000,
    ]);
  });

  it('shortens a wait by at most a fifth, never lengthens it', () => {
    expect(notificationRetryDelayMs(1, backoff, fullJitter)).toBe(800);
    expect(notificationRetryDelayMs(50, backoff, () => 0.5)).toBe(540_000);
    for (let retry = 1; retry < 300; retry++) {
      const delay = notificationRetryDelayMs(retry, backoff);
      const nominal = Math.min(600_000, 1_000 * 2 ** (retry - 1));
      expect(delay).toBeGreaterThanOrEqual(Math.floor(nominal * (1 - NOTIFICATION_RETRY_JITTER)));
      expect(delay).toBeLessThanOrEqual(nominal);
    }
  });

  it('treats retry 0 like the first', () => {
    expect(notificationRetryDelayMs(0, backoff, noJitter)).toBe(1_000);
  });
});

describe(notificationRetrySpanMs.name, () => {
  it('sums the waits between the attempts', () => {
    expect(notificationRetrySpanMs(1, backoff, noJitter)).toBe(0);
    expect(notificationRetrySpanMs(4, backoff, noJitter)).toBe(7_000);
    // 1 + 2 + … + 512 s, then 10 min waits.
    expect(notificationRetrySpanMs(13, backoff, noJitter)).toBe(1_023_000 + 2 * 600_000);
  });

  it('keeps retrying for more than a day with the default settings, even with every wait shortened', () => {
    const { attempts, backoffMs, backoffMaxMs } = loadConfig({}).notifications;
    const defaults = { initialMs: backoffMs, maxMs: backoffMaxMs };

    expect(defaults).toEqual(backoff);
    expect(notificationRetrySpanMs(attempts, defaults, fullJitter)).toBeGreaterThanOrEqual(86_400_000);
    // …and gives up within a day and a half.
    expect(notificationRetrySpanMs(attempts, defaults, noJitter)).toBeLessThan(36 * 3_600_000);
  });
});

describe(isLoggedAttempt.name, () => {
  it('logs the 1st, 2nd, 4th, 8th… failed attempt', () => {
    const logged = Array.from({ length: 200 }, (_, index) => index + 1).filter(isLoggedAttempt);
    expect(logged).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
    expect(isLoggedAttempt(0)).toBe(false);
  });
});

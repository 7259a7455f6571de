import { forgetRefilled, takeSubscribe } from './subscribe-limiter';

describe(takeSubscribe.name, () => {
  const limits = { burst: 3, perMinute: 6 }; // one more every 10 s

  it('allows a burst, then refuses with the wait until the next subscribe', () => {
    let bucket = undefined;
    for (let index = 0; index < 3; index++) {
      const allowance = takeSubscribe(bucket, limits, 1_000);
      expect(allowance.allowed).toBe(true);
      bucket = allowance.bucket;
    }
    const sut = takeSubscribe(bucket, limits, 1_000);
    expect(sut).toMatchObject({ allowed: false, retryAfterMs: 10_000 });
  });

  it('refills at the steady rate, never above the burst', () => {
    const empty = { tokens: 0, refilledAt: 0 };
    expect(takeSubscribe(empty, limits, 5_000)).toMatchObject({ allowed: false, retryAfterMs: 5_000 });
    expect(takeSubscribe(empty, limits, 10_000).allowed).toBe(true);
    const later = takeSubscribe(empty, limits, 3_600_000);
    expect(later.bucket.tokens).toBe(2);
  });

  it('does not refill when the clock goes back', () => {
    const sut = takeSubscribe({ tokens: 0.5, refilledAt: 10_000 }, limits, 0);
    expect(sut.allowed).toBe(false);
  });
});

describe(forgetRefilled.name, () => {
  const limits = { burst: 3, perMinute: 6 }; // empty to full in 30 s

  it('drops the buckets unused for longer than a full refill and keeps the others', () => {
    const sut = new Map([
      ['idle', { tokens: 0, refilledAt: 0 }],
      ['recent', { tokens: 0, refilledAt: 20_000 }],
    ]);
    forgetRefilled(sut, limits, 40_000);
    expect([...sut.keys()]).toEqual(['recent']);
  });
});

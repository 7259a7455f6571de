import { bucketRetentionMs, bucketStart, isLate, windowBuckets, windowStart } from './window-buckets';

const at = (time: string) => Date.parse(`2011-01-04T${time}Z`);

describe(windowBuckets.name, () => {
  it('builds the 15m window from the 15 minutes ending with the watermark minute', () => {
    const sut = windowBuckets('15m', at('10:07:30'));
    expect(sut.bucketMs).toBe(60_000);
    expect(sut.starts).toHaveLength(15);
    expect(sut.starts[0]).toBe(at('09:53:00'));
    expect(sut.starts[14]).toBe(at('10:07:00'));
  });

  it('builds the 24h window from 96 quarter hours', () => {
    const sut = windowBuckets('24h', at('10:07:30'));
    expect(sut.bucketMs).toBe(900_000);
    expect(sut.starts).toHaveLength(96);
    expect(sut.starts[95]).toBe(at('10:00:00'));
    expect(windowStart('24h', at('10:07:30'))).toBe(at('10:15:00') - 86_400_000);
  });

  it('moves with a fake clock: one minute later the oldest minute drops out', () => {
    expect(windowStart('5m', at('10:07:59'))).toBe(at('10:03:00'));
    expect(windowStart('5m', at('10:08:00'))).toBe(at('10:04:00'));
  });
});

describe(isLate.name, () => {
  it('accepts events whose minute closed within the allowed lateness of the watermark', () => {
    const lateness = 120_000;
    // The 10:05 minute closes at 10:06; with 2 minutes' lateness it takes events until the watermark passes 10:08.
    expect(isLate(at('10:05:10'), at('10:07:59'), lateness)).toBe(false);
    expect(isLate(at('10:06:00'), at('10:08:00'), lateness)).toBe(false);
    expect(isLate(at('10:05:59'), at('10:08:00'), lateness)).toBe(true);
  });

  it('never counts anything late before the first watermark or with a zero lateness in the current minute', () => {
    expect(isLate(at('00:00:00'), null, 0)).toBe(false);
    expect(isLate(at('10:08:00'), at('10:08:30'), 0)).toBe(false);
    expect(isLate(at('10:07:59'), at('10:08:30'), 0)).toBe(true);
  });

  it('keeps buckets long enough for the 24h window and late events', () => {
    expect(bucketRetentionMs(60_000)).toBe(86_400_000 + 900_000 + 60_000);
    expect(bucketStart(at('10:07:30'), 900_000)).toBe(at('10:00:00'));
  });
});

import { bucketOf, bucketsBetween, hourAlignedZone, isTimeZone, zoneOffset } from './calendar-buckets';

const at = (iso: string) => Date.parse(iso);
const iso = (time: number) => new Date(time).toISOString();
const span = (bucket: { start: number; end: number }) => [iso(bucket.start), iso(bucket.end)];

describe(bucketOf.name, () => {
  it('gives a London day of 25 hours when the clocks go back, and of 23 when they go forward', () => {
    expect(span(bucketOf(at('2011-10-30T12:00:00Z'), '1d', 'Europe/London'))).toEqual([
      '2011-10-29T23:00:00.000Z',
      '2011-10-31T00:00:00.000Z',
    ]);
    expect(span(bucketOf(at('2011-03-27T12:00:00Z'), '1d', 'Europe/London'))).toEqual([
      '2011-03-27T00:00:00.000Z',
      '2011-03-27T23:00:00.000Z',
    ]);
  });

  it('puts a sale just after local midnight in the local day, not the UTC one', () => {
    expect(span(bucketOf(at('2021-09-01T23:30:00Z'), '1d', 'Europe/London'))).toEqual([
      '2021-09-01T23:00:00.000Z',
      '2021-09-02T23:00:00.000Z',
    ]);
    expect(span(bucketOf(at('2021-09-01T23:30:00Z'), '1d', 'UTC'))).toEqual([
      '2021-09-01T00:00:00.000Z',
      '2021-09-02T00:00:00.000Z',
    ]);
  });

  it('starts weeks on Monday and months on the 1st, in the zone', () => {
    // Sunday 5 September 2021, 23:30 UTC is Monday 6 September 00:30 in London.
    expect(span(bucketOf(at('2021-09-05T23:30:00Z'), '1w', 'Europe/London'))).toEqual([
      '2021-09-05T23:00:00.000Z',
      '2021-09-12T23:00:00.000Z',
    ]);
    expect(span(bucketOf(at('2021-09-05T12:00:00Z'), '1w', 'UTC'))).toEqual([
      '2021-08-30T00:00:00.000Z',
      '2021-09-06T00:00:00.000Z',
    ]);
    expect(span(bucketOf(at('2011-10-31T00:30:00Z'), '1mo', 'Europe/London'))).toEqual([
      '2011-09-30T23:00:00.000Z',
      '2011-11-01T00:00:00.000Z',
    ]);
  });

  it('aligns hours to a half-hour offset and starts a day at the end of a midnight DST gap', () => {
    expect(span(bucketOf(at('2024-03-01T10:10:00Z'), '1h', 'Asia/Kolkata'))).toEqual([
      '2024-03-01T09:30:00.000Z',
      '2024-03-01T10:30:00.000Z',
    ]);
    // Santiago skipped 00:00-01:00 on 2022-09-11 (−04:00 → −03:00): the day starts at 01:00 local.
    expect(iso(bucketOf(at('2022-09-11T12:00:00Z'), '1d', 'America/Santiago').start)).toBe('2022-09-11T04:00:00.000Z');
  });
});

describe(bucketsBetween.name, () => {
  it('lists contiguous buckets from the one holding from, up to a limit', () => {
    const sut = bucketsBetween(at('2011-10-29T10:00:00Z'), at('2011-11-01T00:00:00Z'), '1d', 'Europe/London');
    expect(sut.map((bucket) => (bucket.end - bucket.start) / 3_600_000)).toEqual([24, 25, 24]);
    expect(sut.every((bucket, index) => index === 0 || bucket.start === sut[index - 1].end)).toBe(true);
    expect(bucketsBetween(0, at('2020-01-01T00:00:00Z'), '1mo', 'UTC', 5)).toHaveLength(5);
  });
});

describe(isTimeZone.name, () => {
  it('accepts IANA names and refuses anything else', () => {
    expect(['UTC', 'Europe/London', 'America/Argentina/Buenos_Aires'].every(isTimeZone)).toBe(true);
    expect(['Mars/Olympus', '', '+01:00', 'Europe/London; DROP', 'a'.repeat(80)].some(isTimeZone)).toBe(false);
  });
});

describe(hourAlignedZone.name, () => {
  it('is true for whole-hour offsets and false for India', () => {
    expect(hourAlignedZone(at('2021-01-01T00:00:00Z'), at('2021-12-31T00:00:00Z'), 'Europe/London')).toBe(true);
    expect(hourAlignedZone(at('2021-01-01T00:00:00Z'), at('2021-01-02T00:00:00Z'), 'Asia/Kolkata')).toBe(false);
    expect(zoneOffset(at('2021-07-01T00:00:00Z'), 'Europe/London')).toBe(3_600_000);
  });
});

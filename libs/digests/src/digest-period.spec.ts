import { localDate, periodBefore, periodOfDate } from './digest-period';

const iso = (time: number) => new Date(time).toISOString();
const HOUR = 3_600_000;

describe(periodBefore.name, () => {
  it('covers the previous local day in London summer time', () => {
    // 07:00 on 3 July in London is 06:00 UTC.
    const period = periodBefore('daily', Date.parse('2024-07-03T06:00:00Z'), 'Europe/London');
    expect([iso(period.start), iso(period.end), period.label]).toEqual([
      '2024-07-01T23:00:00.000Z',
      '2024-07-02T23:00:00.000Z',
      '2024-07-02',
    ]);
    expect([iso(period.previous.start), iso(period.previous.end)]).toEqual([
      '2024-06-30T23:00:00.000Z',
      '2024-07-01T23:00:00.000Z',
    ]);
  });

  it('gives the spring-forward day 23 hours and the fall-back day 25 in London', () => {
    const spring = periodBefore('daily', Date.parse('2026-03-30T06:00:00Z'), 'Europe/London');
    expect([iso(spring.start), iso(spring.end), spring.label]).toEqual([
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T23:00:00.000Z',
      '2026-03-29',
    ]);
    expect(spring.end - spring.start).toBe(23 * HOUR);
    expect(spring.previous.end - spring.previous.start).toBe(24 * HOUR);
    const autumn = periodBefore('daily', Date.parse('2026-10-26T07:00:00Z'), 'Europe/London');
    expect([iso(autumn.start), iso(autumn.end), autumn.label]).toEqual([
      '2026-10-24T23:00:00.000Z',
      '2026-10-26T00:00:00.000Z',
      '2026-10-25',
    ]);
    expect(autumn.end - autumn.start).toBe(25 * HOUR);
  });

  it('covers the previous ISO week, Monday to Monday local, across the clock change', () => {
    // Sent on Monday 30 March 2026: the week of 23–29 March, whose Sunday has 23 hours.
    const week = periodBefore('weekly', Date.parse('2026-03-30T06:00:00Z'), 'Europe/London');
    expect([iso(week.start), iso(week.end), week.label]).toEqual([
      '2026-03-23T00:00:00.000Z',
      '2026-03-29T23:00:00.000Z',
      '2026-W13',
    ]);
    expect(week.end - week.start).toBe(7 * 24 * HOUR - HOUR);
    expect([iso(week.previous.start), iso(week.previous.end)]).toEqual([
      '2026-03-16T00:00:00.000Z',
      '2026-03-23T00:00:00.000Z',
    ]);
  });

  it('reads the day in the zone, not in UTC: just after midnight in Tokyo is the day before in UTC', () => {
    const period = periodBefore('daily', Date.parse('2026-12-03T15:30:00Z'), 'Asia/Tokyo');
    expect(period.label).toBe('2026-12-03');
    expect(iso(period.start)).toBe('2026-12-02T15:00:00.000Z');
  });

  it('fires more than once in a period to the same period (a retried or duplicated run)', () => {
    const first = periodBefore('daily', Date.parse('2026-12-04T07:00:00Z'), 'UTC');
    const later = periodBefore('daily', Date.parse('2026-12-04T23:59:59Z'), 'UTC');
    expect(later).toEqual(first);
  });
});

describe(periodOfDate.name, () => {
  it('gives the day, or the ISO week holding the date, with ISO week-years', () => {
    expect(periodOfDate('daily', '2026-12-03', 'UTC').label).toBe('2026-12-03');
    const week = periodOfDate('weekly', '2026-12-03', 'UTC');
    expect([iso(week.start), iso(week.end), week.label]).toEqual([
      '2026-11-30T00:00:00.000Z',
      '2026-12-07T00:00:00.000Z',
      '2026-W49',
    ]);
    // 1 January 2027 is a Friday: it belongs to week 53 of 2026.
    expect(periodOfDate('weekly', '2027-01-01', 'UTC').label).toBe('2026-W53');
    expect(periodOfDate('weekly', '2024-12-30', 'UTC').label).toBe('2025-W01');
  });

  it('refuses what is not a calendar date', () => {
    expect(() => periodOfDate('daily', '2026-02-30', 'UTC')).toThrow('not a date of the calendar');
    expect(() => periodOfDate('daily', '3 Dec', 'UTC')).toThrow('not a date like');
  });

  it('names local dates', () => {
    expect(localDate(Date.parse('2024-07-01T23:30:00Z'), 'Europe/London')).toBe('2024-07-02');
  });
});

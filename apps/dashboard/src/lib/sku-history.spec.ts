import { describe, expect, it } from '@jest/globals';
import { DAY_MS, dailyColumns } from './sku-history';

const day = (iso: string) => Date.parse(iso);

describe(dailyColumns.name, () => {
  it('sums each day’s sales and ends each day on the last figure of every location', () => {
    const from = day('2026-03-01T00:00:00Z');
    const to = from + 3 * DAY_MS;
    const [days, onHand, sold] = dailyColumns(
      [
        { at: '2026-03-01T09:00:00Z', location: 'main', onHand: 10, units: 0 },
        { at: '2026-03-01T12:00:00Z', location: 'main', onHand: 8, units: 2 },
        { at: '2026-03-01T13:00:00Z', location: 'north', onHand: 5, units: 0 },
        { at: '2026-03-03T08:00:00Z', location: 'north', onHand: 2, units: 3 },
      ],
      from,
      to,
    );
    expect(days).toEqual([from / 1000, from / 1000 + 86_400, from / 1000 + 2 * 86_400]);
    expect(onHand).toEqual([13, 13, 10]);
    expect(sold).toEqual([2, 0, 3]);
  });

  it('has no on hand before anything is known, unless an opening figure is given', () => {
    const from = day('2026-03-01T00:00:00Z');
    expect(dailyColumns([], from, from + DAY_MS)[1]).toEqual([null]);
    expect(dailyColumns([], from, from + DAY_MS, new Map([['main', 4]]))[1]).toEqual([4]);
  });

  it('starts at the UTC day of from, and takes items out of order', () => {
    const from = day('2026-03-01T15:00:00Z');
    const [days, onHand] = dailyColumns(
      [
        { at: '2026-03-02T10:00:00Z', location: 'main', onHand: 1, units: 0 },
        { at: '2026-03-01T10:00:00Z', location: 'main', onHand: 9, units: 0 },
      ],
      from,
      from + DAY_MS,
    );
    expect(days[0]).toBe(day('2026-03-01T00:00:00Z') / 1000);
    expect(onHand).toEqual([9, 1]);
  });
});

import { describe, expect, it } from '@jest/globals';
import {
  formatCompactCount,
  formatRunOutIn,
  formatComingTime,
  formatCover,
  formatEventSpan,
  formatMoney,
  formatPercent,
  formatRatio,
  NO_FIGURE,
} from './format';

describe(formatMoney.name, () => {
  it.each([
    ['0.00', '0.00'],
    ['7', '7.00'],
    ['12.5', '12.50'],
    ['1123.42', '1,123.42'],
    ['999999.99', '999,999.99'],
    ['1234567.89', '1,234,567.89'],
    ['0012.30', '12.30'],
    ['-12.50', '\u221212.50'],
    ['-0.00', '0.00'],
  ])('%p → %p, from the text alone', (amount, shown) => expect(formatMoney(amount)).toBe(shown));

  it('keeps every cent of amounts a float cannot hold exactly', () => {
    expect(formatMoney('90071992547409.93')).toBe('90,071,992,547,409.93');
    expect(formatMoney('0.10')).toBe('0.10');
  });

  it.each([
    ['999999.99', '999,999.99'],
    ['1000000.00', '1.00M'],
    ['1239999.99', '1.23M'],
    ['98765432.10', '98.76M'],
    ['1234567890.00', '1.23B'],
    ['-2500000.00', '\u22122.50M'],
  ])('compact: %p → %p (cut, never rounded up)', (amount, shown) =>
    expect(formatMoney(amount, { compact: true })).toBe(shown),
  );

  it('shows a dash for no amount and anything else as it came', () => {
    expect(formatMoney(null)).toBe(NO_FIGURE);
    expect(formatMoney(undefined)).toBe(NO_FIGURE);
    expect(formatMoney('n/a')).toBe('n/a');
  });
});

describe(formatPercent.name, () => {
  it.each([
    [0.579409, '57.9%'],
    [0, '0.0%'],
    [1, '100.0%'],
    [0.0006, '0.1%'],
    [-0.1, '\u221210.0%'],
    [-0.0001, '0.0%'],
  ])('%p → %p', (ratio, shown) => expect(formatPercent(ratio)).toBe(shown));

  it('shows a dash without a ratio', () => {
    expect(formatPercent(null)).toBe(NO_FIGURE);
    expect(formatPercent(Number.NaN)).toBe(NO_FIGURE);
  });
});

describe(formatRatio.name, () => {
  it.each([
    [0, '0'],
    [0.196875, '0.197'],
    [0.0123456, '0.0123'],
    [1.23456, '1.23'],
    [12.3456, '12.3'],
    [1234.5, '1,235'],
    [0.000001, '0.000001'],
  ])('%p → %p', (value, shown) => expect(formatRatio(value)).toBe(shown));

  it('shows a dash without a value', () => expect(formatRatio(null)).toBe(NO_FIGURE));
});

describe(formatCover.name, () => {
  it.each([
    [null, NO_FIGURE],
    [0, '0 h'],
    [0.3125, '7.5 h'],
    [2.44, '2.4 d'],
    [12.9, '12 d'],
    [5000, '999+ d'],
  ])('%p days → %p', (days, shown) => expect(formatCover(days)).toBe(shown));
});

describe(formatComingTime.name, () => {
  const reference = new Date(2024, 5, 1, 9, 0);

  it('shows the time on the reference day, the weekday within a week, the date after', () => {
    expect(formatComingTime(new Date(2024, 5, 1, 14, 3, 59).toISOString(), reference)).toBe('14:03');
    expect(formatComingTime(new Date(2024, 5, 3, 8, 2).toISOString(), reference)).toBe('Mon 08:02');
    expect(formatComingTime(new Date(2024, 5, 7, 23, 59).toISOString(), reference)).toBe('Fri 23:59');
    expect(formatComingTime(new Date(2024, 5, 8, 0, 0).toISOString(), reference)).toBe('8 Jun');
    expect(formatComingTime(new Date(2024, 4, 31, 23, 0).toISOString(), reference)).toBe('31 May');
  });
});

describe(formatEventSpan.name, () => {
  it('shows the date once, and none today', () => {
    const from = new Date(2024, 5, 1, 8, 47, 12).toISOString();
    const to = new Date(2024, 5, 1, 9, 2, 12).toISOString();

    expect(formatEventSpan(from, to, new Date(2024, 5, 1, 9, 2, 30))).toBe('08:47:12 – 09:02:12');
    expect(formatEventSpan(from, to, new Date(2024, 6, 1))).toBe('1 Jun 08:47:12 – 09:02:12');
  });

  it('shows both dates of a span over midnight', () => {
    const from = new Date(2024, 5, 1, 23, 50).toISOString();
    const to = new Date(2024, 5, 2, 0, 5).toISOString();

    expect(formatEventSpan(from, to, new Date(2024, 6, 1))).toBe('1 Jun 23:50:00 – 2 Jun 00:05:00');
  });
});

describe('formatRunOutIn', () => {
  const asOf = '2024-06-01T08:00:00.000Z';
  it.each([
    ['2024-06-01T08:40:00.000Z', 5, 'out in ~40 min'],
    ['2024-06-01T11:10:00.000Z', 5, 'out in ~3 h'],
    ['2024-06-04T08:00:00.000Z', 5, 'out in ~3 d'],
    ['2024-06-01T08:00:20.000Z', 5, 'out in <1 min'],
    [null, 0, 'out now'],
    [null, 5, ''],
  ])('%s with %i available → %s', (at, available, expected) => {
    expect(formatRunOutIn(at, available, asOf)).toBe(expected);
  });
});

describe('formatCompactCount', () => {
  it('groups below a million and cuts above', () => {
    expect(formatCompactCount(12_480)).toBe('12,480');
    expect(formatCompactCount(1_239_999)).toBe('1.23M');
    expect(formatCompactCount(2_500_000_000)).toBe('2.50B');
  });
});

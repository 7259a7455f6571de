import { formatCents, toCents } from './money';

describe(toCents.name, () => {
  it.each([
    [12.34, 1234],
    ['12.34', 1234],
    [0.1 + 0.2, 30],
    ['1.005', 101],
    ['1.004', 100],
    [7, 700],
    ['-2.50', -250],
    [1e-7, 0],
  ])('%p → %p cents', (input, cents) => expect(toCents(input)).toBe(cents));

  it.each([['abc'], [''], ['1,5'], [Number.NaN], [Number.POSITIVE_INFINITY]])('rejects %p', (input) =>
    expect(toCents(input)).toBeUndefined(),
  );
});

describe(formatCents.name, () => {
  it.each([
    [1234, '12.34'],
    [5, '0.05'],
    [-250, '-2.50'],
    [0, '0.00'],
  ])('%p → %p', (cents, text) => expect(formatCents(cents)).toBe(text));
});

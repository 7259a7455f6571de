import { describe, expect, it } from '@jest/globals';
import { centsOf, TOP_SELLER_LINES, topSellerLines } from './top-sellers';

const ranking = [
  { sku: 'A', units: 40, revenue: '1999.90' },
  { sku: 'B', units: 10, revenue: '2500000.00' },
  { sku: 'C', units: 20, revenue: '0.10' },
  { sku: 'D', units: 5, revenue: '5.00' },
  { sku: 'E', units: 4, revenue: '4.00' },
  { sku: 'F', units: 3, revenue: '3.00' },
];

describe(topSellerLines.name, () => {
  it('ranks by units with bars relative to the leader', () => {
    const sut = topSellerLines(ranking, 'units');

    expect(sut).toHaveLength(TOP_SELLER_LINES);
    expect(sut.slice(0, 3)).toEqual([
      { rank: 1, sku: 'A', value: '40', share: 1 },
      { rank: 2, sku: 'B', value: '10', share: 0.25 },
      { rank: 3, sku: 'C', value: '20', share: 0.5 },
    ]);
  });

  it('shows revenue from its decimal strings, bars from whole cents', () => {
    const sut = topSellerLines(ranking.slice(0, 3), 'revenue');

    expect(sut.map((line) => line.value)).toEqual(['1,999.90', '2.50M', '0.10']);
    expect(sut[1].share).toBe(1);
    expect(sut[2].share).toBe(10 / 250_000_000);
  });

  it('has no lines and no bars without sales', () => {
    expect(topSellerLines([], 'revenue')).toEqual([]);
    expect(topSellerLines([{ sku: 'Z', units: 0, revenue: '0.00' }], 'units')[0].share).toBe(0);
  });
});

describe(centsOf.name, () => {
  it.each([
    ['1999.90', 199_990],
    ['0.1', 10],
    ['7', 700],
    ['90071992547409.91', 9_007_199_254_740_991],
    ['oops', 0],
  ])('%p → %p', (amount, cents) => expect(centsOf(amount)).toBe(cents));
});

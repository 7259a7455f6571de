import { describe, expect, it } from '@jest/globals';
import { alignSeries, withLiveFigures } from './at-risk-series';
import type { LiveStockRow } from './stock-rows';

const row = (sku: string, location: string, onHand: number) =>
  ({ sku, location, onHand, key: `${sku}\u0000${location}` }) as LiveStockRow;

describe('alignSeries', () => {
  it('puts every line on one time axis, each holding its last value until it changes', () => {
    const sut = alignSeries(
      [
        {
          sku: 'A',
          location: 'main',
          points: [
            [1_000, 10],
            [3_000, 8],
          ],
        },
        { sku: 'B', location: 'north', points: [[2_000, 5]] },
      ],
      4_000,
    );
    expect(sut.times).toEqual([1, 2, 3, 4]);
    expect(sut.series).toEqual([
      { label: 'A @ main', values: [10, 10, 8, 8] },
      { label: 'B @ north', values: [null, 5, 5, 5] },
    ]);
  });
});

describe('withLiveFigures', () => {
  it('ends each line with the live figure of its SKU and location, unless history already reaches it', () => {
    const series = [
      { sku: 'A', location: 'main', points: [[1_000, 10]] as [number, number][] },
      { sku: 'B', location: 'main', points: [[5_000, 3]] as [number, number][] },
    ];
    const sut = withLiveFigures(series, [row('A', 'main', 7), row('A', 'north', 99), row('B', 'main', 2)], 4_000);
    expect(sut.map((line) => line.points)).toEqual([
      [
        [1_000, 10],
        [4_000, 7],
      ],
      [[5_000, 3]],
    ]);
  });
});

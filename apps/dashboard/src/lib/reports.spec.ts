import { describe, expect, it } from '@jest/globals';
import {
  apiRange,
  changePercent,
  heatLevels,
  previousRange,
  readReportFilters,
  reportSearch,
  trendColumns,
} from './reports';

const bucket = (from: string, revenue: string) =>
  ({ from, to: from, revenue, orders: 1, newCustomers: 0 }) as unknown as Parameters<typeof trendColumns>[0][number];

describe(readReportFilters.name, () => {
  it('defaults to the last 28 days by day in the given zone and refuses bad values', () => {
    const sut = readReportFilters('?interval=5m&from=yesterday', Date.parse('2024-03-28T10:00:00Z'), 'Europe/London');
    expect(sut).toEqual({ from: '2024-03-01', to: '2024-03-28', interval: '1d', tz: 'Europe/London', location: '' });
    expect(reportSearch({ ...sut, location: 'leeds' })).toBe(
      '?from=2024-03-01&to=2024-03-28&interval=1d&tz=Europe%2FLondon&location=leeds',
    );
  });
});

describe(apiRange.name, () => {
  it('runs from the zone’s midnight of the first day to the one after the last, across a DST change', () => {
    const sut = apiRange({ from: '2021-03-27', to: '2021-03-28', interval: '1d', tz: 'Europe/London', location: '' });
    expect(sut).toEqual({ from: '2021-03-27T00:00:00.000Z', to: '2021-03-28T23:00:00.000Z' });
    expect(previousRange(sut)).toEqual({ from: '2021-03-25T01:00:00.000Z', to: '2021-03-27T00:00:00.000Z' });
  });
});

describe(trendColumns.name, () => {
  it('overlays the previous period bucket by bucket', () => {
    const sut = trendColumns(
      [bucket('2024-03-01T00:00:00Z', '10.00'), bucket('2024-03-02T00:00:00Z', '5.50')],
      [bucket('2024-02-28T00:00:00Z', '7.00')],
    );
    expect(sut).toEqual([
      [1709251200, 1709337600],
      [10, 5.5],
      [7, null],
    ]);
  });
});

describe(changePercent.name, () => {
  it('is the change in percent, none without a base', () => {
    expect(changePercent(150, 100)).toBe(50);
    expect(changePercent(1, 0)).toBeNull();
    expect(heatLevels([0, 5, 10])).toEqual([0, 0.5, 1]);
  });
});

import { describe, expect, it } from '@jest/globals';
import { mergeHistory, salesColumns, withLiveMinute } from './sales-series';

const figures = (from: string, orders: number, revenue: string) => ({
  from,
  orders,
  units: orders,
  revenue,
  averageOrderValue: null,
  cogs: '0.00',
  grossMargin: revenue,
  grossMarginRate: null,
});

describe('sales per minute', () => {
  it('seeds from history, lets the live minute replace its own, and keeps the fuller reading', () => {
    let held = mergeHistory(new Map(), [
      figures('2024-06-01T08:00:00.000Z', 2, '20.00'),
      figures('2024-06-01T08:01:00.000Z', 1, '5.50'),
    ]);
    held = withLiveMinute(held, '2024-06-01T08:01:40.000Z', { orders: 3, revenue: '30.25' });
    // A history page read before the last minute was written does not take it back.
    held = mergeHistory(held, [figures('2024-06-01T08:01:00.000Z', 1, '5.50')]);
    const sut = salesColumns(held, Date.parse('2024-06-01T08:02:00.000Z'), 4);
    expect(sut.minutes.map((second) => new Date(second * 1000).toISOString().slice(11, 16))).toEqual([
      '07:59',
      '08:00',
      '08:01',
      '08:02',
    ]);
    expect(sut.orders).toEqual([0, 2, 3, 0]);
    expect(sut.revenue).toEqual([0, 20, 30.25, 0]);
  });
});

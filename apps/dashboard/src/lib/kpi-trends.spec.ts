import { describe, expect, it } from '@jest/globals';
import { KPI_WINDOW_SPECS } from '@stockwall/contracts';
import { kpiTrends, previousWindowOf, sumFigures, WINDOW_LENGTH_MS } from './kpi-trends';
import { buildLiveKpis as liveKpis } from '../testing/live-kpis.factory';

describe('kpiTrends', () => {
  const previous = sumFigures([
    {
      orders: 2,
      units: 4,
      revenue: '100.00',
      averageOrderValue: '50.00',
      cogs: '60.00',
      grossMargin: '40.00',
      grossMarginRate: 0.4,
    },
    {
      orders: 2,
      units: 6,
      revenue: '100.00',
      averageOrderValue: '50.00',
      cogs: '60.00',
      grossMargin: '40.00',
      grossMarginRate: 0.4,
    },
  ]);

  it('tells up, down and no change by arrow and signed text', () => {
    const sut = kpiTrends(liveKpis({ orders: 5, units: 10, revenue: '150.00', cogs: '75.00' }), previous);
    expect(sut.orders).toMatchObject({ direction: 'up', arrow: '▲', text: '+25%' });
    expect(sut.revenue).toMatchObject({ direction: 'down', arrow: '▼', text: '−25%' });
    expect(sut.units).toMatchObject({ direction: 'flat', arrow: '=', text: '0%' });
    // AOV 30 against 50; margin 50 % against 40 %.
    expect(sut.aov).toMatchObject({ direction: 'down', text: '−40%' });
    expect(sut.margin).toMatchObject({ direction: 'up', text: '+10.0 pts' });
  });

  it('says "new" when the previous window sold nothing, and nothing without a previous window', () => {
    const empty = sumFigures([]);
    expect(kpiTrends(liveKpis({ orders: 1 }), empty).orders).toMatchObject({ direction: 'new', text: 'new' });
    expect(kpiTrends(liveKpis({ orders: 0 }), empty).orders).toMatchObject({ direction: 'flat' });
    expect(kpiTrends(liveKpis({ orders: 1 }), null)).toEqual({});
  });

  it('takes the window of the same length before the KPIs’ own', () => {
    const kpis = liveKpis({ window: '15m', from: '2024-06-01T08:15:00.000Z' });
    expect(previousWindowOf(kpis)).toEqual({
      from: Date.parse('2024-06-01T08:00:00.000Z'),
      to: Date.parse('2024-06-01T08:15:00.000Z'),
    });
  });

  it('knows the contract’s window lengths', () => {
    for (const [window, spec] of Object.entries(KPI_WINDOW_SPECS)) {
      expect(WINDOW_LENGTH_MS[window as keyof typeof WINDOW_LENGTH_MS]).toBe(spec.lengthMs);
    }
  });
});

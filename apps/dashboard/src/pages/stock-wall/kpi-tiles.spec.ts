import { describe, expect, it } from '@jest/globals';
import { buildLiveKpis, buildStockTotals } from '../../testing/live-kpis.factory';
import { kpiTiles, type KpiTile } from './kpi-tiles';

function byId(tiles: KpiTile[]): Record<string, Pick<KpiTile, 'value' | 'hint' | 'tone'>> {
  return Object.fromEntries(tiles.map(({ id, value, hint, tone }) => [id, { value, hint, tone }]));
}

describe(kpiTiles.name, () => {
  it('shows every figure of the window, money from its decimal strings', () => {
    const sut = kpiTiles(buildLiveKpis());

    expect(sut.map((tile) => tile.id)).toEqual([
      'orders',
      'revenue',
      'units',
      'aov',
      'margin',
      'turnover',
      'stockout',
      'late',
    ]);
    expect(byId(sut)).toEqual({
      orders: { value: '3', hint: '', tone: 'info' },
      revenue: { value: '1,123.42', hint: 'COGS 472.50', tone: 'ok' },
      units: { value: '11', hint: '', tone: 'info' },
      aov: { value: '374.47', hint: '', tone: 'info' },
      margin: { value: '57.9%', hint: '650.92', tone: 'ok' },
      turnover: { value: '0.197×', hint: 'avg stock 2,400.00', tone: 'info' },
      stockout: { value: '0.0%', hint: '0 of 4 SKUs · avg 0.0%', tone: 'ok' },
      late: { value: '0', hint: '', tone: 'muted' },
    });
    expect(sut.find((tile) => tile.id === 'revenue')?.raw).toBe('1123.42');
  });

  it('colours what needs attention: stockouts, late events, a negative margin', () => {
    const sut = byId(
      kpiTiles(
        buildLiveKpis({
          grossMargin: '-12.00',
          grossMarginRate: -0.1,
          stockoutRate: { now: 0.25, timeWeighted: 0.125 },
          stock: { overall: buildStockTotals({ skusOutOfStock: 1, activeSkus: 4 }), locations: [] },
          lateEvents: 1234,
        }),
      ),
    );

    expect(sut.margin).toEqual({ value: '\u221210.0%', hint: '\u221212.00', tone: 'bad' });
    expect(sut.stockout).toEqual({ value: '25.0%', hint: '1 of 4 SKUs · avg 12.5%', tone: 'bad' });
    expect(sut.late).toEqual({ value: '1,234', hint: 'not in the windows', tone: 'warn' });
    expect(byId(kpiTiles(buildLiveKpis({ stockoutRate: { now: 0.01, timeWeighted: null } }))).stockout.tone).toBe(
      'warn',
    );
  });

  it('shows dashes where a figure does not exist yet (no orders, no stock history)', () => {
    const sut = byId(
      kpiTiles(
        buildLiveKpis({
          orders: 0,
          revenue: '0.00',
          averageOrderValue: null,
          grossMargin: '0.00',
          grossMarginRate: null,
          averageInventoryValue: null,
          inventoryTurnover: null,
          stockoutRate: { now: null, timeWeighted: null },
        }),
      ),
    );

    expect(sut.aov.value).toBe('—');
    expect(sut.margin).toEqual({ value: '—', hint: '0.00', tone: 'muted' });
    expect(sut.turnover).toEqual({ value: '—', hint: '', tone: 'info' });
    expect(sut.stockout.value).toBe('—');
  });

  it('keeps all eight tiles, dashed, before the first snapshot', () => {
    const sut = kpiTiles(null);

    expect(sut).toHaveLength(8);
    expect(sut.every((tile) => tile.value === '—' && tile.hint === '' && tile.tone === 'muted')).toBe(true);
  });
});

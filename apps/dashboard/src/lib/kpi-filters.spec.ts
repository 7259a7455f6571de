import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_KPI_FILTERS,
  isKpiWindow,
  KPI_WINDOW_CHOICES,
  kpiFiltersHash,
  normalizeSource,
  readKpiFilters,
  serializeKpiFilters,
} from './kpi-filters';

describe(readKpiFilters.name, () => {
  it('defaults to the last 15 minutes of every source', () => {
    expect(readKpiFilters('', null)).toEqual({ window: '15m', source: null });
    expect(DEFAULT_KPI_FILTERS).toEqual({ window: '15m', source: null });
  });

  it('takes the window and source from the fragment first', () => {
    const stored = serializeKpiFilters({ window: '24h', source: 'store' });

    expect(readKpiFilters('#window=1h&source=web', stored)).toEqual({ window: '1h', source: 'web' });
  });

  it('falls back to what was stored, key by key, when the fragment lacks or garbles one', () => {
    const stored = serializeKpiFilters({ window: '24h', source: 'store' });

    expect(readKpiFilters('', stored)).toEqual({ window: '24h', source: 'store' });
    expect(readKpiFilters('#window=2h', stored)).toEqual({ window: '24h', source: 'store' });
    expect(readKpiFilters('#window=5m&source=%2Fbad', stored)).toEqual({ window: '5m', source: 'store' });
  });

  it('reads an empty source in the fragment as every source', () => {
    const stored = serializeKpiFilters({ window: '24h', source: 'store' });

    expect(readKpiFilters('#source=', stored)).toEqual({ window: '24h', source: null });
  });

  it('ignores stored text that is not what it wrote', () => {
    expect(readKpiFilters('', '{not json')).toEqual(DEFAULT_KPI_FILTERS);
    expect(readKpiFilters('', '{"window":"7d","source":5}')).toEqual(DEFAULT_KPI_FILTERS);
  });
});

describe(kpiFiltersHash.name, () => {
  it('writes the window and source and keeps every other parameter', () => {
    expect(kpiFiltersHash('#theme=dark', { window: '5m', source: 'web shop' })).toBe(
      '#theme=dark&window=5m&source=web+shop',
    );
  });

  it('drops the source for every source, and reads back what it wrote', () => {
    const hash = kpiFiltersHash('#window=1h&source=web', { window: '24h', source: null });

    expect(hash).toBe('#window=24h');
    expect(readKpiFilters(hash, null)).toEqual({ window: '24h', source: null });
  });
});

describe(normalizeSource.name, () => {
  it.each([
    ['', null],
    ['   ', null],
    [' web ', 'web'],
    ['store 12', 'store 12'],
    ['-web', undefined],
    ['web/shop', undefined],
    ['x'.repeat(65), undefined],
  ])('%p → %p', (text, source) => expect(normalizeSource(text)).toBe(source));
});

describe(isKpiWindow.name, () => {
  it('knows the five windows, in selector order', () => {
    expect(KPI_WINDOW_CHOICES).toEqual(['1m', '5m', '15m', '1h', '24h']);
    expect(isKpiWindow('1h')).toBe(true);
    expect(isKpiWindow('2h')).toBe(false);
    expect(isKpiWindow('toString')).toBe(false);
  });
});

import type { KpiWindow } from '@stockwall/contracts';

/** What the KPI tiles follow: a rolling window and, optionally, one sales source. */
export interface KpiFilters {
  window: KpiWindow;
  /** null: every source. */
  source: string | null;
}

export const KPI_FILTERS_STORAGE_KEY = 'stockwall.kpis';
export const DEFAULT_KPI_FILTERS: Readonly<KpiFilters> = Object.freeze({ window: '15m', source: null });

/** Every window, in selector order, checked both ways against the contract's `KpiWindow` union. */
const WINDOW_NAMES: Record<KpiWindow, true> = { '1m': true, '5m': true, '15m': true, '1h': true, '24h': true };
export const KPI_WINDOW_CHOICES = Object.keys(WINDOW_NAMES) as KpiWindow[];

/** The server's rule for a source (`GET /api/v1/kpis/live?source=`), so a bad one never reaches it. */
const SOURCE_CODE = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/;

export function isKpiWindow(value: unknown): value is KpiWindow {
  return typeof value === 'string' && Object.hasOwn(WINDOW_NAMES, value);
}

export function isSourceCode(value: unknown): value is string {
  return typeof value === 'string' && SOURCE_CODE.test(value);
}

/** A typed source: trimmed; empty means every source; undefined when the server would refuse it. */
export function normalizeSource(text: string): string | null | undefined {
  const source = text.trim();
  if (source === '') return null;
  return isSourceCode(source) ? source : undefined;
}

function readStored(stored: string | null): Partial<KpiFilters> {
  if (!stored) return {};
  try {
    const raw: unknown = JSON.parse(stored);
    if (!raw || typeof raw !== 'object') return {};
    const { window, source } = raw as Record<string, unknown>;
    return {
      ...(isKpiWindow(window) ? { window } : {}),
      ...(source === null || isSourceCode(source) ? { source } : {}),
    };
  } catch {
    return {};
  }
}

/**
 * The filters a wall starts with: each of `window` and `source` from the URL fragment
 * (`#window=1h&source=web`, bookmarkable per screen) when valid there, else from what this browser
 * stored last, else the default (`15m`, every source).
 */
export function readKpiFilters(hash: string, stored: string | null): KpiFilters {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const fromStorage = readStored(stored);
  const window = params.get('window');
  const source = params.get('source')?.trim();
  return {
    window: isKpiWindow(window) ? window : (fromStorage.window ?? DEFAULT_KPI_FILTERS.window),
    source:
      source !== undefined && isSourceCode(source)
        ? source
        : source === ''
          ? null
          : (fromStorage.source ?? DEFAULT_KPI_FILTERS.source),
  };
}

/** The fragment with the filters written into it; every other parameter is kept. */
export function kpiFiltersHash(hash: string, filters: KpiFilters): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  params.set('window', filters.window);
  if (filters.source === null) params.delete('source');
  else params.set('source', filters.source);
  return `#${params.toString()}`;
}

export function serializeKpiFilters(filters: KpiFilters): string {
  return JSON.stringify({ window: filters.window, source: filters.source });
}

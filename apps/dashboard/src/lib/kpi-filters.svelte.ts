import type { KpiWindow } from '@stockwall/contracts';
import {
  KPI_FILTERS_STORAGE_KEY,
  kpiFiltersHash,
  readKpiFilters,
  serializeKpiFilters,
  type KpiFilters,
} from './kpi-filters';

function readStored(): string | null {
  try {
    return localStorage.getItem(KPI_FILTERS_STORAGE_KEY);
  } catch {
    return null;
  }
}

/**
 * The KPI window and source this screen follows. Read from the URL fragment, else from what this
 * browser stored; a choice made on the screen is written to both, so a reload or a bookmark keeps it.
 */
export class KpiFilterSetting {
  window = $state<KpiWindow>('15m');
  source = $state<string | null>(null);

  /** `kiosk`: the window and source a kiosk URL's query names, which win over the fragment and storage. */
  constructor(kiosk: { window?: KpiWindow; source?: string } = {}) {
    const initial = readKpiFilters(location.hash, readStored());
    this.window = kiosk.window ?? initial.window;
    this.source = kiosk.source ?? initial.source;
  }

  get filters(): KpiFilters {
    return { window: this.window, source: this.source };
  }

  select(window: KpiWindow): void {
    this.window = window;
    this.#persist();
  }

  /** null: every source. */
  setSource(source: string | null): void {
    this.source = source;
    this.#persist();
  }

  /** Follows a fragment edited by hand (`#window=1h`); the returned function stops. */
  listen(): () => void {
    const onHashChange = () => {
      const next = readKpiFilters(location.hash, readStored());
      this.window = next.window;
      this.source = next.source;
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }

  #persist(): void {
    const filters = this.filters;
    try {
      localStorage.setItem(KPI_FILTERS_STORAGE_KEY, serializeKpiFilters(filters));
    } catch {
      // Storage can be unavailable; the fragment still holds the choice.
    }
    // replaceState fires no hashchange, and leaves no history entry per click.
    history.replaceState(
      history.state,
      '',
      `${location.pathname}${location.search}${kpiFiltersHash(location.hash, filters)}`,
    );
  }
}

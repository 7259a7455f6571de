import type { LiveKpis } from '@stockwall/contracts';
import { previousWindowOf, sumFigures, WINDOW_LENGTH_MS, type WindowSums } from './kpi-trends';
import { getJson, MINUTE_MS, type KpiHistoryPage } from './rest-api';

/** The previous window moves with the watermark; it is read again at most this often. */
const REFRESH_MS = 30_000;

/**
 * The sums of the window before the tiles' own (same length, same source), from the per-minute
 * history, for the trend arrows. Read again when the window or source changes, and as the
 * window moves.
 */
export class PreviousWindow {
  sums = $state.raw<WindowSums | null>(null);
  /** `window|source` the sums belong to: trends are shown only against the same choice. */
  key = $state<string | null>(null);
  error = $state<string | null>(null);

  #token: string | null = null;
  #readKey: string | null = null;
  #readAt = 0;
  #inFlight: AbortController | null = null;

  static keyOf(kpis: Pick<LiveKpis, 'window' | 'source'>): string {
    return `${kpis.window}|${kpis.source ?? '*'}`;
  }

  /** Called with every new KPI reading; reads the previous window when it is due. */
  follow(token: string, kpis: LiveKpis | null): void {
    if (kpis === null) return;
    const range = previousWindowOf(kpis);
    if (range === null) return;
    const key = PreviousWindow.keyOf(kpis);
    const due = key !== this.#readKey || token !== this.#token || Date.now() - this.#readAt >= REFRESH_MS;
    if (!due) return;
    this.#token = token;
    this.#readKey = key;
    this.#readAt = Date.now();
    this.#inFlight?.abort();
    const controller = new AbortController();
    this.#inFlight = controller;
    void getJson<KpiHistoryPage>(
      token,
      '/api/v1/kpis/history',
      {
        interval: '1m',
        from: new Date(range.from).toISOString(),
        to: new Date(range.to).toISOString(),
        source: kpis.source ?? undefined,
        limit: WINDOW_LENGTH_MS[kpis.window] / MINUTE_MS,
      },
      controller.signal,
    ).then(
      (page) => {
        if (controller.signal.aborted) return;
        this.sums = sumFigures(page.items);
        this.key = key;
        this.error = null;
      },
      (error: Error) => {
        if (controller.signal.aborted) return;
        this.error = error.message;
        // Try again with the next reading rather than waiting out the refresh.
        this.#readAt = 0;
      },
    );
  }

  stop(): void {
    this.#inFlight?.abort();
  }
}

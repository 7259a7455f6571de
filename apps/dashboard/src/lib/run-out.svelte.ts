import { untrack } from 'svelte';
import type { StockForecast } from '@stockwall/contracts';
import { fetchForecasts, ForecastRequestError, runningOut, type Fetcher, type ForecastQuery } from './forecasts';

/** How often the list is read again. */
export const RUN_OUT_REFRESH_MS = 30_000;

export interface RunOutOptions {
  /** Replaces `fetch` (tests). */
  fetcher?: Fetcher;
  refreshMs?: number;
}

/**
 * The SKUs that run out soonest, from `GET /api/v1/forecasts`, read at once and then every 30 s.
 * Reads never overlap; a failed read keeps the last list on screen and says why.
 */
export class RunOutForecasts {
  items = $state.raw<StockForecast[]>([]);
  /** Every SKU and location read, by `sku@location`: the alert ticker's run-out times. */
  bySkuLocation = $state.raw<ReadonlyMap<string, StockForecast>>(new Map());
  /** The watermark the figures were computed at (ISO-8601). */
  asOf = $state<string | null>(null);
  /** Epoch ms of the last successful read. */
  fetchedAt = $state<number | null>(null);
  error = $state<string | null>(null);
  /** True once a read answered, successfully or not. */
  settled = $state(false);

  readonly #options: RunOutOptions;

  constructor(options: RunOutOptions = {}) {
    this.#options = options;
  }

  /**
   * Starts reading the first `query.limit` SKUs with `token` (the first `shown` running out are listed); the returned function stops. Reads no
   * reactive state, so an effect calling it reruns only when its arguments change.
   */
  start(token: string, query: ForecastQuery & { shown: number }): () => void {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refreshMs = this.#options.refreshMs ?? RUN_OUT_REFRESH_MS;

    const read = async () => {
      try {
        const page = await fetchForecasts(token, query, {
          fetcher: this.#options.fetcher,
          signal: controller.signal,
        });
        if (controller.signal.aborted) return;
        this.items = runningOut(page.items, query.shown);
        this.bySkuLocation = new Map(page.items.map((item) => [`${item.sku}@${item.location}`, item]));
        this.asOf = page.asOf;
        this.fetchedAt = Date.now();
        this.error = null;
      } catch (error) {
        if (controller.signal.aborted) return;
        this.error = error instanceof ForecastRequestError ? error.message : `forecasts: ${String(error)}`;
      }
      this.settled = true;
      timer = setTimeout(() => void read(), refreshMs);
    };

    untrack(() => void read());
    return () => {
      controller.abort();
      if (timer !== null) clearTimeout(timer);
    };
  }
}

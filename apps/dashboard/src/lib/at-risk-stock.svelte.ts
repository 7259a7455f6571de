import type { StockForecast } from '@stockwall/contracts';
import { every, getJson, type ProductHistoryPage } from './rest-api';
import type { AtRiskSeries } from './at-risk-series';

/** SKUs (per location) the chart follows: the first ones of the run-out list. */
export const AT_RISK_LINES = 4;
/** How far back the chart goes. */
const HISTORY_MS = 2 * 60 * 60_000;
const REFRESH_MS = 60_000;

/**
 * On hand over the last two hours for the SKUs that run out soonest, from
 * `GET /api/v1/products/:sku/history`, with each line's live figure from the stock channel at the end.
 */
export class AtRiskStock {
  series = $state.raw<AtRiskSeries[]>([]);
  error = $state<string | null>(null);

  /** Reads the history of `targets()` now and every minute; the returned function stops. */
  start(token: string, targets: () => readonly StockForecast[], asOf: () => string | null): () => void {
    return every(REFRESH_MS, async (signal) => {
      const chosen = targets().slice(0, AT_RISK_LINES);
      const endText = asOf();
      const end = endText ? Date.parse(endText) + 1_000 : Date.now();
      try {
        const read = await Promise.all(
          chosen.map(async (item) => {
            const page = await getJson<ProductHistoryPage>(
              token,
              `/api/v1/products/${encodeURIComponent(item.sku)}/history`,
              { from: new Date(end - HISTORY_MS).toISOString(), to: new Date(end).toISOString(), limit: 5_000 },
              signal,
            );
            const points = page.items
              .filter((line) => line.location === item.location)
              .map((line): [number, number] => [Date.parse(line.at), line.onHand]);
            return { sku: item.sku, location: item.location, points };
          }),
        );
        this.series = read;
        this.error = null;
      } catch (error) {
        if (!signal.aborted) this.error = (error as Error).message;
        throw error;
      }
    });
  }
}

import type { StockForecast } from '@stockwall/contracts';
import { every, getJson, type ProductHistoryPage } from './rest-api';
import type { LiveStockRow } from './stock-rows';

/** SKUs (per location) the chart follows: the first ones of the run-out list. */
export const AT_RISK_LINES = 4;
/** How far back the chart goes. */
const HISTORY_MS = 2 * 60 * 60_000;
const REFRESH_MS = 60_000;

export interface AtRiskSeries {
  sku: string;
  location: string;
  /** [epoch ms, on hand] after each event, oldest first. */
  points: [number, number][];
}

/** Aligned columns for uPlot: shared times (epoch seconds) and each series carried forward. */
export interface AtRiskColumns {
  times: number[];
  series: { label: string; values: (number | null)[] }[];
}

/** One time axis for every series; each holds its last value until its next change. */
export function alignSeries(all: readonly AtRiskSeries[], liveAt: number | null): AtRiskColumns {
  const times = new Set<number>();
  for (const series of all) for (const [at] of series.points) times.add(at);
  if (liveAt !== null) times.add(liveAt);
  const sorted = [...times].sort((a, b) => a - b);
  return {
    times: sorted.map((at) => at / 1000),
    series: all.map((series) => {
      let index = 0;
      let last: number | null = null;
      const values = sorted.map((at) => {
        while (index < series.points.length && series.points[index][0] <= at) last = series.points[index++][1];
        return last;
      });
      return { label: `${series.sku} @ ${series.location}`, values };
    }),
  };
}

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

/** The series with each line's live figure appended at `liveAt` (the stock's watermark). */
export function withLiveFigures(
  series: readonly AtRiskSeries[],
  rows: ReadonlyMap<string, LiveStockRow> | readonly LiveStockRow[],
  liveAt: number | null,
): AtRiskSeries[] {
  if (liveAt === null) return [...series];
  const list = Array.isArray(rows) ? rows : [...(rows as ReadonlyMap<string, LiveStockRow>).values()];
  return series.map((line) => {
    const row = list.find((candidate) => candidate.sku === line.sku && candidate.location === line.location);
    if (!row) return line;
    const last = line.points[line.points.length - 1];
    if (last && last[0] >= liveAt) return line;
    return { ...line, points: [...line.points, [liveAt, row.onHand]] };
  });
}

import type { LiveStockRow } from './stock-rows';

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

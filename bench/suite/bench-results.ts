import { appendFileSync } from 'node:fs';

/**
 * One measured figure of a benchmark, with what it is compared to in the same run. Benchmarks
 * run by `npm run cli -- bench` append these (one JSON line each) to BENCH_RESULTS_FILE; run on
 * their own they only print.
 */
export interface BenchMeasure {
  bench: string;
  name: string;
  value: number;
  unit: string;
  /** The figure it is compared with, measured in the same run. */
  baseline?: { name: string; value: number };
  /** value / baseline (or as the measure defines it). */
  ratio?: number;
  /** The limit it must meet: `ratio ≥ min`, or `value ≤ max`. */
  target?: { ratioAtLeast?: number; valueAtMost?: number; text: string };
  note?: string;
}

/** Raw samples for the charts: latencies (ms) of one measure, or events applied per second over time. */
export interface BenchSeries {
  bench: string;
  name: string;
  kind: 'latency' | 'throughput';
  /** Latencies in ms, or [seconds since start, events/s] pairs. */
  values: number[] | [number, number][];
}

function append(record: object): void {
  const file = process.env.BENCH_RESULTS_FILE;
  if (file) appendFileSync(file, `${JSON.stringify(record)}\n`);
}

export function reportMeasure(measure: BenchMeasure): void {
  append({ type: 'measure', ...measure });
}

export function reportSeries(series: BenchSeries): void {
  append({ type: 'series', ...series });
}

/** At most `count` values spread evenly over `values` (charts do not need every sample). */
export function thin<T>(values: T[], count = 2_000): T[] {
  if (values.length <= count) return values;
  const step = values.length / count;
  return Array.from({ length: count }, (_, index) => values[Math.floor(index * step)]);
}

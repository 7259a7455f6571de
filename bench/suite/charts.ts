import type { BenchMeasure, BenchSeries } from './bench-results';

type Spec = Record<string, unknown>;

/**
 * vega and vega-lite are ES modules with top-level await, which `require` cannot load; a real
 * `import()` (not the one TypeScript's CommonJS output turns into `require`) can.
 */
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- the one way to keep a real import() in CommonJS output
const importModule = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

/** The parts of vega and vega-lite used here. */
interface VegaView {
  toSVG(): Promise<string>;
  finalize(): void;
}
interface Vega {
  View: new (runtime: unknown, options: { renderer: 'none' }) => VegaView;
  parse(spec: unknown): unknown;
}
interface VegaLite {
  compile(spec: Spec): { spec: unknown };
}

/** Renders a vega-lite specification to SVG text with vega's headless renderer. */
export async function renderSvg(spec: Spec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([importModule<Vega>('vega'), importModule<VegaLite>('vega-lite')]);
  const compiled = vegaLite.compile({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', ...spec }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Cumulative distribution of each latency measure: the share of events delivered within x ms. */
export function latencySpec(series: BenchSeries[]): Spec | null {
  const rows = series
    .filter((entry) => entry.kind === 'latency')
    .flatMap((entry) => {
      const sorted = [...(entry.values as number[])].sort((left, right) => left - right);
      return sorted.map((ms, index) => ({ measure: entry.name, ms, share: (index + 1) / sorted.length }));
    });
  if (rows.length === 0) return null;
  return {
    title: 'Latency distributions (share of events within x ms)',
    width: 640,
    height: 320,
    data: { values: rows },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 'ms', type: 'quantitative', title: 'ms', scale: { type: 'symlog' } },
      y: { field: 'share', type: 'quantitative', title: 'share of events', axis: { format: '%' } },
      color: { field: 'measure', type: 'nominal', legend: { orient: 'bottom', columns: 1, labelLimit: 600 } },
    },
  };
}

/** Events applied per second over each drain. */
export function throughputSpec(series: BenchSeries[]): Spec | null {
  const rows = series
    .filter((entry) => entry.kind === 'throughput')
    .flatMap((entry) =>
      (entry.values as [number, number][]).map(([seconds, rate]) => ({ run: entry.name, seconds, rate })),
    );
  if (rows.length === 0) return null;
  return {
    title: 'Throughput over time (events applied per second)',
    width: 640,
    height: 320,
    data: { values: rows },
    mark: { type: 'line', point: false },
    encoding: {
      x: { field: 'seconds', type: 'quantitative', title: 'seconds since the first apply' },
      y: { field: 'rate', type: 'quantitative', title: 'events/s' },
      color: { field: 'run', type: 'nominal', legend: { orient: 'bottom', columns: 1, labelLimit: 600 } },
    },
  };
}

/** Each measured ratio beside its target. */
export function ratiosSpec(measures: BenchMeasure[]): Spec | null {
  const rows = measures
    .filter((measure) => measure.ratio !== undefined && measure.target?.ratioAtLeast !== undefined)
    .map((measure) => ({
      measure: measure.name,
      ratio: measure.ratio,
      target: measure.target!.ratioAtLeast,
      met: measure.ratio! >= measure.target!.ratioAtLeast! ? 'met' : 'not met',
    }));
  if (rows.length === 0) return null;
  return {
    title: 'Measured ratio (bar) against its target (tick)',
    width: 480,
    data: { values: rows },
    encoding: { y: { field: 'measure', type: 'nominal', title: null, axis: { labelLimit: 420 } } },
    layer: [
      {
        mark: 'bar',
        encoding: {
          x: { field: 'ratio', type: 'quantitative', title: 'ratio' },
          color: {
            field: 'met',
            type: 'nominal',
            scale: { domain: ['met', 'not met'], range: ['#0072B2', '#D55E00'] },
          },
        },
      },
      {
        mark: { type: 'tick', thickness: 3, color: 'black' },
        encoding: { x: { field: 'target', type: 'quantitative' } },
      },
    ],
  };
}

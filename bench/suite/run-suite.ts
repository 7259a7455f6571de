/**
 * The benchmark suite: every benchmark with its baseline and its limit in the same run, one
 * process each (bench/suite/suite-plan.ts). Writes bench/results/<date>.json, SVG charts beside it,
 * and the generated section of docs/benchmarks.md.
 * Usage (through the CLI): npm run cli -- bench [--quick] [--only ingest,consumer,aggregation,persist,live]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import type { BenchMeasure, BenchSeries } from './bench-results';
import { latencySpec, ratiosSpec, renderSvg, throughputSpec } from './charts';
import { SUITE, SuiteEntry } from './suite-plan';

const ROOT = path.resolve(__dirname, '..', '..');
const START_MARK = '<!-- bench-suite:start -->';
const END_MARK = '<!-- bench-suite:end -->';

interface SuiteRun {
  name: string;
  args: string[];
  seconds: number;
  exitCode: number | null;
}

async function runEntry(entry: SuiteEntry, quick: boolean, resultsFile: string): Promise<SuiteRun> {
  const args = quick ? entry.quick : entry.full;
  console.log(`\n# bench ${entry.name}: ${entry.what}\n  ${entry.script} ${args.join(' ')}\n`);
  const started = Date.now();
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', path.join(ROOT, 'test/support/ts-register.js'), path.join(ROOT, entry.script), ...args],
      { cwd: ROOT, stdio: 'inherit', env: { ...process.env, BENCH_RESULTS_FILE: resultsFile } },
    );
    child.once('error', reject);
    child.once('exit', resolve);
  });
  return { name: entry.name, args, seconds: (Date.now() - started) / 1000, exitCode };
}

async function serviceVersions(): Promise<{ redis: string; mariadb: string }> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  let redisVersion = 'unknown';
  let mariadbVersion = 'unknown';
  try {
    await redis.connect();
    redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  } catch {
    // a private Redis per benchmark
  } finally {
    redis.disconnect();
  }
  try {
    const url = new URL(process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/stockwall');
    url.pathname = '/';
    const connection = await createConnection({ uri: url.toString(), connectTimeout: 2_000 });
    const [rows] = await connection.query('SELECT VERSION() AS version');
    mariadbVersion = (rows as { version: string }[])[0].version;
    await connection.end();
  } catch {
    // a private MariaDB per benchmark
  }
  return { redis: redisVersion, mariadb: mariadbVersion };
}

const number = (value: number, unit: string) => {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits })} ${unit}`.trim();
};

function verdict(measure: BenchMeasure): 'met' | 'not met' | '' {
  const target = measure.target;
  if (!target) return '';
  if (target.ratioAtLeast !== undefined) return (measure.ratio ?? 0) >= target.ratioAtLeast ? 'met' : 'not met';
  if (target.valueAtMost !== undefined) return measure.value <= target.valueAtMost ? 'met' : 'not met';
  return '';
}

function markdown(report: {
  date: string;
  command: string;
  machine: Record<string, string>;
  runs: SuiteRun[];
  measures: BenchMeasure[];
  charts: string[];
}): string {
  const lines = [
    START_MARK,
    '',
    `## The benchmark suite, ${report.date}`,
    '',
    'Written by the suite itself; the sections after it are earlier runs and analyses.',
    '',
    `- command: \`${report.command}\``,
    ...Object.entries(report.machine).map(([key, value]) => `- ${key}: ${value}`),
    `- benchmarks: ${report.runs
      .map((run) => `${run.name} ${Math.round(run.seconds)} s${run.exitCode === 0 ? '' : ` (exit ${run.exitCode})`}`)
      .join(', ')}; results: \`bench/results/${report.date}.json\``,
    '',
    '| benchmark | measure | result | baseline, same run | ratio | target | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...report.measures.map((measure) => {
      const baseline = measure.baseline
        ? `${measure.baseline.name}: ${number(measure.baseline.value, measure.unit)}`
        : '—';
      const ratio = measure.ratio === undefined ? '—' : `${measure.ratio.toFixed(2)}×`;
      const status = verdict(measure);
      return `| ${measure.bench} | ${measure.name} | ${number(measure.value, measure.unit)} | ${baseline} | ${ratio} | ${
        measure.target?.text ?? '—'
      } | ${status === 'not met' ? '**not met**' : status} |`;
    }),
    '',
    ...report.measures
      .filter((measure) => measure.note)
      .map((measure) => `- ${measure.bench}, ${measure.name}: ${measure.note}`),
    '',
    ...report.charts.map((chart) => `![${path.basename(chart, '.svg')}](../${chart})`),
    '',
    END_MARK,
  ];
  return lines.join('\n');
}

/** The docs pass `prettier --check` as every other file. */
async function formatMarkdown(text: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const prettier = require('prettier') as { format(source: string, options: object): Promise<string> };
  return prettier.format(text, { parser: 'markdown', printWidth: 120, proseWrap: 'preserve' });
}

async function writeDocs(section: string): Promise<void> {
  const file = path.join(ROOT, 'docs/benchmarks.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(START_MARK);
  const end = current.indexOf(END_MARK);
  let next: string;
  if (start >= 0 && end > start) {
    next = current.slice(0, start) + section + current.slice(end + END_MARK.length);
  } else {
    const [title, ...rest] = current.split('\n');
    next = [title, '', section, '', ...rest].join('\n');
  }
  writeFileSync(file, await formatMarkdown(next));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const onlyIndex = argv.indexOf('--only');
  const only = onlyIndex >= 0 ? argv[onlyIndex + 1].split(',') : SUITE.map((entry) => entry.name);
  const unknown = only.filter((name) => !SUITE.some((entry) => entry.name === name));
  if (unknown.length > 0)
    throw new Error(
      `Unknown benchmark ${unknown.join(', ')}; choose among ${SUITE.map((entry) => entry.name).join(', ')}`,
    );
  const date = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'stockwall-bench-'));
  const resultsFile = path.join(scratch, 'results.ndjson');
  writeFileSync(resultsFile, '');
  const loadBefore = os.loadavg();
  const started = Date.now();
  const runs: SuiteRun[] = [];
  for (const entry of SUITE.filter((candidate) => only.includes(candidate.name))) {
    runs.push(await runEntry(entry, quick, resultsFile));
  }
  const records = readFileSync(resultsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ({ type: 'measure' } & BenchMeasure) | ({ type: 'series' } & BenchSeries));
  rmSync(scratch, { recursive: true, force: true });
  const measures = records.filter((record): record is { type: 'measure' } & BenchMeasure => record.type === 'measure');
  const series = records.filter((record): record is { type: 'series' } & BenchSeries => record.type === 'series');
  const versions = await serviceVersions();
  const cpus = os.cpus();
  const machine = {
    machine: `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}`,
    software: `Node ${process.version}, Redis ${versions.redis}, MariaDB ${versions.mariadb}`,
    'load average (1 min) before / after': `${loadBefore[0].toFixed(1)} / ${os.loadavg()[0].toFixed(1)}`,
    'wall time': `${Math.round((Date.now() - started) / 1000)} s`,
  };
  const resultsDir = path.join(ROOT, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const charts: string[] = [];
  for (const [kind, spec] of [
    ['ratios', ratiosSpec(measures)],
    ['latency', latencySpec(series)],
    ['throughput', throughputSpec(series)],
  ] as const) {
    if (!spec) continue;
    const file = `bench/results/${date}-${kind}.svg`;
    writeFileSync(path.join(ROOT, file), await renderSvg(spec));
    charts.push(file);
  }
  const command = `npm run cli -- bench${quick ? ' --quick' : ''}${onlyIndex >= 0 ? ` --only ${only.join(',')}` : ''}`;
  writeFileSync(
    path.join(resultsDir, `${date}.json`),
    `${JSON.stringify({ date, command, quick, machine, runs, measures, series, charts }, null, 2)}\n`,
  );
  await writeDocs(markdown({ date, command, machine, runs, measures, charts }));
  console.log(`\nWrote bench/results/${date}.json, ${charts.length} charts and docs/benchmarks.md`);
  for (const measure of measures) {
    const status = verdict(measure);
    console.log(
      `  ${measure.bench}: ${measure.name}: ${number(measure.value, measure.unit)}${measure.ratio !== undefined ? ` (${measure.ratio.toFixed(2)}×)` : ''}${status ? ` — ${status}` : ''}`,
    );
  }
  if (runs.some((run) => run.exitCode !== 0)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * History benchmark (issue 5). Two parts, both by default:
 *  persist: simulator traffic, decoded with the real decoder, enqueued as persist-batch jobs and
 *    drained by the real PersistProcessor into a fresh database, with 1 and 2 workers; against the
 *    naive consumer (one INSERT per event, autocommit) on the same events and server, same run.
 *  queries: 5,000,000 generated events (orders with customer hashes, the catalog, snapshots, stock
 *    levels, live forecasts) loaded with INSERT … SELECT, then p50/p95/p99/max of every history and
 *    report route through the HTTP API against the lightest history read, the plans of their
 *    queries and the time of each repository read (issue 15: p99 ≤ 100 ms).
 * Usage: npm run bench:history [-- --part persist|queries] [--events 200000] [--events-per-job 1000]
 *   [--baseline-events 50000] [--query-events 5000000] [--requests 300] [--route-seconds 60]
 *   [--timeout-seconds 30] [--only <route label part>] [--no-profile] [--keep-database]
 */
import { startKinesisEmulator } from '@stockwall/local-stack';
import { argument, flag } from './bench-config';
import { buildPersistJobs } from './bench-traffic';
import { perEventBaseline, persistRun, PersistRun } from './persist-throughput';
import { queryLatency } from './query-latency';
import { reportMeasure } from '../suite/bench-results';

const format = (value: number) => Math.round(value).toLocaleString('en-US');

async function persistPart(kinesisEndpoint: string): Promise<void> {
  const events = argument('events', 200_000);
  const shape = {
    events,
    skus: argument('skus', 2_000),
    shards: argument('shards', 4),
    eventsPerJob: argument('events-per-job', 1_000),
    spacingMs: argument('spacing-ms', 10),
    startAt: Date.UTC(2025, 0, 6),
  };
  let started = Date.now();
  const jobs = buildPersistJobs(shape, 'bench-stream');
  console.log(
    `built ${jobs.length} jobs of ≤ ${shape.eventsPerJob} events over ${shape.shards} shards (${Date.now() - started} ms)`,
  );
  const runs: PersistRun[] = [];
  // --plans 1x1,2x1,2x2: workers × PERSIST_CONCURRENCY of each run.
  const plansIndex = process.argv.indexOf('--plans');
  const plans = (plansIndex > 0 ? process.argv[plansIndex + 1] : '1x1,2x1,2x2')
    .split(',')
    .map((plan) => plan.split('x').map(Number));
  for (const [workers, concurrency] of plans) {
    const run = await persistRun(kinesisEndpoint, jobs, workers, concurrency);
    runs.push(run);
    console.log(
      `persist ${workers} worker(s) × PERSIST_CONCURRENCY ${concurrency}: ${format(run.eventsPerSecond)} events/s, ` +
        `${run.jobsPerSecond.toFixed(1)} jobs/s (${run.events} events in ${run.seconds.toFixed(2)} s; ` +
        `enqueue ${run.enqueueJobsPerSecond.toFixed(0)} jobs/s); ` +
        `the same rows by bare multi-row INSERT: ${format(run.bulkEventsPerSecond)} events/s`,
    );
    reportMeasure({
      bench: 'persist',
      name: `persist jobs into MySQL, ${workers} worker(s) × concurrency ${concurrency}, ${format(run.events)} events`,
      value: run.eventsPerSecond,
      unit: 'events/s',
      baseline: {
        name: 'bare multi-row INSERT (1,000 rows) of the same rows into the same tables',
        value: run.bulkEventsPerSecond,
      },
      ratio: run.eventsPerSecond / run.bulkEventsPerSecond,
      target: { ratioAtLeast: 0.5, text: '≥ 0.50× bare multi-row INSERT' },
    });
  }
  const limit = argument('baseline-events', 50_000);
  started = Date.now();
  const baselineOne = await perEventBaseline(jobs, limit, 1);
  const baselineTwo = await perEventBaseline(jobs, limit, 2);
  console.log(`baseline one INSERT per event, autocommit, 1 connection: ${format(baselineOne)} events/s`);
  console.log(`baseline one INSERT per event, autocommit, 2 connections: ${format(baselineTwo)} events/s`);
  const best = Math.max(...runs.map((run) => run.eventsPerSecond));
  const baseline = Math.max(baselineOne, baselineTwo);
  console.log(`best persist / best baseline: ${(best / baseline).toFixed(1)}x (${Date.now() - started} ms baseline)`);
}

async function main(): Promise<void> {
  const part = process.argv.includes('--part') ? process.argv[process.argv.indexOf('--part') + 1] : 'all';
  const emulator = await startKinesisEmulator({ port: 0 });
  try {
    if (part === 'all' || part === 'persist') await persistPart(emulator.endpoint);
    if (part === 'all' || part === 'queries') {
      await queryLatency(emulator.endpoint, {
        events: argument('query-events', 5_000_000),
        requests: argument('requests', 300),
        keep: flag('keep-database'),
        routeSeconds: argument('route-seconds', 60),
        timeoutSeconds: argument('timeout-seconds', 30),
        profile: !flag('no-profile'),
        only: process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null,
      });
    }
  } finally {
    await emulator.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

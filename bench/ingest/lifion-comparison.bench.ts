/**
 * Stockwall against lifion-kinesis, the Node ecosystem's Kinesis consumer (leases in DynamoDB,
 * here dynalite), on the same pre-loaded 8-shard stream of the same emulator, same run:
 *  (a) drain rate: 2 Stockwall workers that also persist to MySQL (`ingest,jobs`) against 2
 *      lifion-kinesis consumers doing one Redis increment per record;
 *  (b) one of the two killed with SIGKILL at 40 % of the drain: events lost and counted twice.
 *      Stockwall's count is the live on-hand of every SKU against what the events add up to;
 *      lifion's is its per-event counters (at-least-once: re-reads since its last checkpoint).
 * Usage: node -r ./test/support/ts-register.js bench/ingest/lifion-comparison.bench.ts [--events 200000] [--skus 500]
 */
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ensureMariaDb, ensureRedis } from '@stockwall/local-stack';
import { IngestCluster } from '../../test/support/ingest-cluster';
import { IngestTraffic } from '../../test/support/ingest-traffic';
import { reportMeasure } from '../suite/bench-results';
import { preload } from './preload';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SHARDS = 8;
const KILL_AT = 0.4;
const TIMEOUT_MS = 120_000;

interface RunResult {
  /** Events per second from the first record handled to the last. */
  rate: number;
  lost: number;
  doubled: number;
  finished: boolean;
  detail: string;
}

async function startDynalite(): Promise<{ url: string; close(): void }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite') as (options: Record<string, number>) => Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

async function lifionRun(
  cluster: IngestCluster,
  dynamoDbUrl: string,
  ids: string[],
  kill: boolean,
): Promise<RunResult> {
  const run = randomBytes(3).toString('hex');
  const prefix = `${cluster.prefix}lifion-${run}:`;
  const consumers: ChildProcess[] = Array.from({ length: 2 }, () =>
    fork(path.join(__dirname, 'lifion-consumer.ts'), [], {
      execArgv: ['-r', path.join(__dirname, '../../test/support/ts-register.js')],
      env: {
        ...process.env,
        KINESIS_URL: kinesisUrl(cluster),
        DYNAMODB_URL: dynamoDbUrl,
        STREAM: cluster.config.kinesis.streamName,
        GROUP: `bench-${run}`,
        REDIS_URL: cluster.config.redis.url,
        KEY_PREFIX: prefix,
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const deadline = Date.now() + TIMEOUT_MS;
  let killed = !kill;
  let total = 0;
  while (Date.now() < deadline) {
    total = Number(await cluster.redis.get(`${prefix}total`));
    if (!killed && total >= ids.length * KILL_AT) {
      consumers[0].kill('SIGKILL');
      killed = true;
    }
    if (killed && (await seenCount(cluster, prefix, ids)).seen === ids.length) break;
    await sleep(100);
  }
  for (const consumer of consumers) consumer.kill('SIGKILL');
  const { seen, doubled } = await seenCount(cluster, prefix, ids);
  const [first, last] = (await cluster.redis.mget(`${prefix}first`, `${prefix}last`)).map(Number);
  return {
    rate: seen / Math.max(0.001, (last - first) / 1000),
    lost: ids.length - seen,
    doubled,
    finished: seen === ids.length,
    detail: `${total} increments for ${ids.length} events`,
  };
}

function kinesisUrl(cluster: IngestCluster): string {
  const endpoint = cluster.config.kinesis.endpoint;
  if (endpoint.kind !== 'url') throw new Error('the comparison runs on an emulator');
  return endpoint.url;
}

async function seenCount(
  cluster: IngestCluster,
  prefix: string,
  ids: string[],
): Promise<{ seen: number; doubled: number }> {
  let seen = 0;
  let doubled = 0;
  for (let start = 0; start < ids.length; start += 5_000) {
    const values = await cluster.redis.mget(...ids.slice(start, start + 5_000).map((id) => `${prefix}seen:${id}`));
    for (const value of values) {
      if (value === null) continue;
      seen++;
      doubled += Number(value) - 1;
    }
  }
  return { seen, doubled };
}

async function stockwallRun(cluster: IngestCluster, traffic: IngestTraffic, kill: boolean): Promise<RunResult> {
  const run = randomBytes(3).toString('hex');
  const prefix = `${cluster.prefix}stockwall-${run}:`;
  const databaseUrl = new URL(cluster.config.database.url);
  databaseUrl.pathname = `/stockwall_compare_${run}`;
  const workers = Array.from({ length: 2 }, (_, index) =>
    cluster.startWorker(`compare-${run}-${index}`, {
      REDIS_PREFIX: prefix,
      QUEUE_PREFIX: `${cluster.config.queue.prefix}-${run}`,
      DATABASE_URL: databaseUrl.toString(),
      GET_RECORDS_LIMIT: '10000',
      WORKER_ROLES: 'ingest,jobs',
      METRICS_PORT: '0',
    }),
  );
  const expected = traffic.expectedOnHand();
  const skus = Object.keys(expected);
  const offBy = async () => {
    const values = await Promise.all(skus.map((sku) => cluster.redis.hget(`${prefix}stock:main:${sku}`, 'on')));
    let skusOff = 0;
    let units = 0;
    values.forEach((value, index) => {
      const difference = Number(value ?? 0) - expected[skus[index]];
      if (difference !== 0) skusOff++;
      units += Math.abs(difference);
    });
    return { skusOff, units };
  };
  const appliedNotes = async () =>
    Object.values(await cluster.redis.hgetall(`${prefix}applied-batches`)).map((note) => note.split(':').map(Number));
  const deadline = Date.now() + TIMEOUT_MS;
  let killed = !kill;
  let off = await offBy();
  while (Date.now() < deadline) {
    if (!killed) {
      const applied = (await appliedNotes()).reduce((sum, [events]) => sum + events, 0);
      if (applied >= traffic.uniqueIds.size * KILL_AT) {
        await workers[0].kill('SIGKILL');
        killed = true;
      }
    }
    off = await offBy();
    if (killed && off.skusOff === 0) break;
    await sleep(200);
  }
  const notes = await appliedNotes();
  await Promise.all(workers.map((worker) => worker.kill('SIGKILL')));
  await cluster.infrastructure.dataSource.query(`DROP DATABASE IF EXISTS \`stockwall_compare_${run}\``);
  const times = notes.map(([, at]) => at);
  const events = notes.reduce((sum, [count]) => sum + count, 0);
  return {
    rate: events / Math.max(0.001, (Math.max(...times) - Math.min(...times)) / 1000),
    // The live state cannot tell a lost event from a doubled one of the same SKU; units off counts both.
    lost: off.units,
    doubled: 0,
    finished: off.skusOff === 0,
    detail: `${off.skusOff} of ${skus.length} SKUs off by ${off.units} units in all`,
  };
}

async function main(): Promise<void> {
  const total = argument('events', 200_000);
  const skus = argument('skus', 500);
  const redis = await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  process.env.REDIS_URL = redis.url;
  const mariaDb = await ensureMariaDb(process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/stockwall');
  process.env.DATABASE_URL = mariaDb.url;
  const cluster = await IngestCluster.start({ shards: SHARDS, emulator: 'kinesalite-process' });
  const dynamo = await startDynalite();
  try {
    const traffic = new IngestTraffic('CMP', skus);
    console.log(`Pre-loading ${total} events on ${SHARDS} shards…`);
    await preload(cluster, traffic, total);
    const ids = [...traffic.uniqueIds];
    console.log('(a) drain: lifion-kinesis, 2 consumers, one Redis increment per record…');
    const lifion = await lifionRun(cluster, dynamo.url, ids, false);
    console.log(
      `    ${Math.round(lifion.rate)} events/s (${lifion.detail}${lifion.finished ? '' : ', did not finish'})`,
    );
    console.log('(a) drain: Stockwall, 2 workers (ingest + MySQL jobs)…');
    const stockwall = await stockwallRun(cluster, traffic, false);
    console.log(`    ${Math.round(stockwall.rate)} events/s (${stockwall.detail})`);
    console.log(`(b) SIGKILL of one of two at ${KILL_AT * 100} % of the drain…`);
    const lifionKilled = await lifionRun(cluster, dynamo.url, ids, true);
    console.log(
      `    lifion-kinesis: ${lifionKilled.lost} lost, ${lifionKilled.doubled} counted twice (${lifionKilled.detail})`,
    );
    const stockwallKilled = await stockwallRun(cluster, traffic, true);
    console.log(`    Stockwall: ${stockwallKilled.detail}`);
    reportMeasure({
      bench: 'ingest',
      name: `drain of ${total.toLocaleString('en-US')} events, ${SHARDS} shards: Stockwall, 2 workers also persisting to MySQL`,
      value: stockwall.rate,
      unit: 'events/s',
      baseline: { name: 'lifion-kinesis, 2 consumers, one Redis INCR per record', value: lifion.rate },
      ratio: stockwall.rate / lifion.rate,
      target: { ratioAtLeast: 1, text: '≥ 1.0× lifion-kinesis' },
    });
    reportMeasure({
      bench: 'ingest',
      name: 'SIGKILL of one of two consumers mid-drain: Stockwall, units lost or counted twice',
      value: stockwallKilled.lost,
      unit: 'units',
      target: { valueAtMost: 0, text: 'exactly once: 0' },
      note: `${stockwallKilled.detail}${stockwallKilled.finished ? '' : ` after ${TIMEOUT_MS / 1000} s`}.`,
    });
    reportMeasure({
      bench: 'ingest',
      name: 'SIGKILL of one of two consumers mid-drain: lifion-kinesis, events lost + counted twice',
      value: lifionKilled.lost + lifionKilled.doubled,
      unit: 'events',
      note:
        `${lifionKilled.lost} lost (not read within ${TIMEOUT_MS / 1000} s: a dead consumer's shards wait for its ` +
        `lease term, 5 minutes in lifion-kinesis), ${lifionKilled.doubled} counted twice (${lifionKilled.detail}).`,
    });
  } finally {
    dynamo.close();
    await cluster.stop();
    await redis.stop();
    await mariaDb.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

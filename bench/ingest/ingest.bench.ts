/**
 * Ingest benchmark. Pre-loads N events (default 1,000,000) on a 4-shard stream of kinesalite
 * running in its own process, then measures in the same run:
 *  (a) the emulator's raw read rate: GetRecords only, every shard in parallel, with the same
 *      per-call limit and the same 5 calls/s/shard cap Stockwall uses;
 *  (b) Stockwall draining the same stream into Redis with 1 and with 2 worker processes
 *      (each from scratch: a fresh Redis prefix and queue prefix);
 *  (c) failover after SIGKILL and after SIGTERM: time from the signal until a record put on
 *      one of the stopped worker's shards is applied by the other worker.
 *
 * The emulator stands in for Kinesis, which in production runs on its own machines, not on the
 * workers' cores. By default its process (every thread) is given a higher scheduling priority
 * (nice -10), so on a small machine it serves at its raw rate and the workers, Redis and MariaDB
 * share what it leaves; `--shared-cpu` leaves every process at the same priority. The emulator also
 * runs with a 64 MB young generation (EMULATOR_NODE_ARGS, default `--max-semi-space-size=64`):
 * with Node's default, responses a busy consumer has not read yet survive into the old generation
 * of its ~1 GB heap, and its garbage collection then costs more per record in the drains than in
 * the raw read. The raw read is measured before and after the drains, and the drains are compared
 * with the faster of the two.
 * Usage: npm run bench:ingest [-- --events 1000000] [--workers 1|2] [--failover-rounds 3] [--shared-cpu]
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { GetRecordsCommand, GetShardIteratorCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { ensureMariaDb, ensureRedis } from '@stockwall/local-stack';
import { IngestCluster } from '../../test/support/ingest-cluster';
import { IngestTraffic } from '../../test/support/ingest-traffic';
import { reportMeasure, reportSeries } from '../suite/bench-results';
import { preload } from './preload';

// The SDK's notice concerns its future releases; the versions locked here support Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const GET_RECORDS_LIMIT = 10_000;
const CALLS_PER_SECOND = 5;

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const SHARDS = argument('shards', 8);
/** The drain the target is set for: 2 workers that also run the MySQL jobs. */
const TARGET_PLAN = '2:ingest,jobs';
const EMULATOR_NICE = -10;

/** Raises the priority of every thread of the process (the scheduler's nice value is per thread). */
function raisePriority(pid: number, nice: number): string {
  try {
    const threads = readdirSync(`/proc/${pid}/task`).map(Number);
    for (const thread of threads) os.setPriority(thread, nice);
    return `nice ${nice} on ${threads.length} threads`;
  } catch (error) {
    return `unchanged (${(error as Error).message})`;
  }
}

/** CPU seconds the process has used so far (user + system, all threads), from /proc; 0 where unavailable. */
function cpuSeconds(pid: number | null): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Runs `phase` and returns its result with the share of one core the emulator used meanwhile. */
async function withEmulatorLoad<T>(cluster: IngestCluster, phase: () => Promise<T>): Promise<[T, string]> {
  const [cpuBefore, started] = [cpuSeconds(cluster.emulatorPid), Date.now()];
  // Monotonic microseconds, the clock of CPU profiles: a profile can be cut into the phases.
  const monotonic = () => process.hrtime.bigint() / 1000n;
  const from = monotonic();
  const result = await phase();
  console.log(`    phase ${from}–${monotonic()} µs (monotonic)`);
  const share = (cpuSeconds(cluster.emulatorPid) - cpuBefore) / ((Date.now() - started) / 1000);
  return [result, `${Math.round(share * 100)} %`];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)];

/** (a) GetRecords only, all shards in parallel, same limits as the workers. Returns records/s. */
async function rawReadRate(cluster: IngestCluster, total: number): Promise<number> {
  const shards = await cluster.openShards();
  const started = Date.now();
  const counts = await Promise.all(
    shards.map(async (shard) => {
      let { ShardIterator: iterator } = await cluster.admin.send(
        new GetShardIteratorCommand({
          StreamName: cluster.config.kinesis.streamName,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      let count = 0;
      let lastCall = 0;
      while (iterator) {
        await sleep(lastCall + 1000 / CALLS_PER_SECOND - Date.now());
        lastCall = Date.now();
        const response = await cluster.admin.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: GET_RECORDS_LIMIT }),
        );
        count += response.Records?.length ?? 0;
        if ((response.Records?.length ?? 0) === 0 && (response.MillisBehindLatest ?? 0) === 0) break;
        iterator = response.NextShardIterator;
      }
      return count;
    }),
  );
  const read = counts.reduce((sum, count) => sum + count, 0);
  if (read !== total) throw new Error(`raw reader saw ${read} records, expected ${total}`);
  return read / ((Date.now() - started) / 1000);
}

interface DrainRate {
  /** From spawning the processes until the last checkpoint: includes booting Node and Nest. */
  fromStart: number;
  /** From the first lease a worker takes (it is up and reading) until the last checkpoint. */
  fromFirstLease: number;
  bootMs: number;
  series: [number, number][];
}

/** (b) Worker processes from scratch on a fresh prefix until every shard's checkpoint is at its last record. */
async function drainRate(cluster: IngestCluster, workers: number, total: number, roles: string): Promise<DrainRate> {
  const run = randomBytes(3).toString('hex');
  const prefix = `${cluster.prefix}run-${run}:`;
  const lastSequence = new Map(lastSequences);
  // Its own database too: MySQL persistence runs in the workers and must not find the work already done.
  const databaseUrl = new URL(cluster.config.database.url);
  databaseUrl.pathname = `/stockwall_bench_${run}`;
  const started = Date.now();
  const processes = Array.from({ length: workers }, (_, index) =>
    cluster.startWorker(`bench-${run}-${index}`, {
      REDIS_PREFIX: prefix,
      QUEUE_PREFIX: `${cluster.config.queue.prefix}-${run}`,
      DATABASE_URL: databaseUrl.toString(),
      GET_RECORDS_LIMIT: String(GET_RECORDS_LIMIT),
      WORKER_ROLES: roles,
    }),
  );
  let firstLeaseAt = 0;
  for (;;) {
    let done = true;
    if (!firstLeaseAt) {
      const owners = await Promise.all(
        [...lastSequence.keys()].map((shardId) =>
          cluster.redis.hget(`${prefix}lease:${cluster.config.kinesis.streamName}:${shardId}`, 'owner'),
        ),
      );
      if (owners.some(Boolean)) firstLeaseAt = Date.now();
    }
    for (const [shardId, sequence] of lastSequence) {
      const checkpoint = await cluster.redis.hget(
        `${prefix}checkpoint:${cluster.config.kinesis.streamName}:${shardId}`,
        'seq',
      );
      if (checkpoint !== sequence) done = false;
    }
    if (done) break;
    await sleep(firstLeaseAt ? 50 : 5);
  }
  const finished = Date.now();
  const series = await appliedPerSecond(cluster, prefix);
  await Promise.all(processes.map((worker) => worker.kill('SIGTERM')));
  await cluster.infrastructure.dataSource.query(`DROP DATABASE IF EXISTS \`stockwall_bench_${run}\``);
  return {
    fromStart: total / ((finished - started) / 1000),
    fromFirstLease: total / ((finished - firstLeaseAt) / 1000),
    bootMs: firstLeaseAt - started,
    series,
  };
}

/** Events applied per second, from the workers' notes of each applied batch (`<prefix>applied-batches`). */
async function appliedPerSecond(cluster: IngestCluster, prefix: string): Promise<[number, number][]> {
  const notes = Object.values(await cluster.redis.hgetall(`${prefix}applied-batches`)).map((note) =>
    note.split(':').map(Number),
  );
  if (notes.length === 0) return [];
  const first = Math.min(...notes.map(([, at]) => at));
  const perWindow = new Map<number, number>();
  const windowMs = 250;
  for (const [events, at] of notes) {
    const window = Math.floor((at - first) / windowMs);
    perWindow.set(window, (perWindow.get(window) ?? 0) + events);
  }
  const last = Math.max(...perWindow.keys());
  return Array.from({ length: last + 1 }, (_, window) => [
    (window * windowMs) / 1000,
    ((perWindow.get(window) ?? 0) * 1000) / windowMs,
  ]);
}

const lastSequences = new Map<string, string>();

async function failover(cluster: IngestCluster, signal: 'SIGKILL' | 'SIGTERM', rounds: number): Promise<number[]> {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const run = randomBytes(3).toString('hex');
    // One prefix for every round: only the first round drains the pre-loaded stream.
    const prefix = `${cluster.prefix}failover:`;
    const env = { REDIS_PREFIX: prefix, QUEUE_PREFIX: `${cluster.config.queue.prefix}-failover` };
    const stream = cluster.config.kinesis.streamName;
    const victim = cluster.startWorker(`victim-${run}`, env);
    const survivor = cluster.startWorker(`survivor-${run}`, env);
    const shards = await cluster.openShards();
    // Wait until both hold half the shards and have caught up with the stream.
    for (;;) {
      const owners = await Promise.all(
        shards.map((shard) => cluster.redis.hget(`${prefix}lease:${stream}:${shard.ShardId}`, 'owner')),
      );
      const caughtUp = await Promise.all(
        shards.map(
          async (shard) =>
            (await cluster.redis.hget(`${prefix}checkpoint:${stream}:${shard.ShardId}`, 'seq')) ===
            lastSequences.get(shard.ShardId!),
        ),
      );
      if (
        owners.filter((owner) => owner === victim.name).length === Math.floor(shards.length / 2) &&
        owners.every(Boolean) &&
        caughtUp.every(Boolean)
      ) {
        const shard = shards[owners.indexOf(victim.name)];
        const sku = `FAILOVER-${run}`;
        const signalledAt = Date.now();
        const exited = victim.kill(signal);
        const put = await cluster.admin.send(
          new PutRecordsCommand({
            StreamName: stream,
            Records: [
              {
                PartitionKey: sku,
                ExplicitHashKey: shard.HashKeyRange!.StartingHashKey,
                Data: Buffer.from(
                  JSON.stringify({
                    event_type: 'product_added',
                    event_id: sku,
                    product: { product_id: sku, product_name: sku, quantity: 1, timestamp: new Date().toISOString() },
                  }),
                ),
              },
            ],
          }),
        );
        lastSequences.set(shard.ShardId!, put.Records![0].SequenceNumber!);
        while ((await cluster.redis.hget(`${prefix}stock:main:${sku}`, 'on')) === null) await sleep(10);
        times.push(Date.now() - signalledAt);
        await exited;
        break;
      }
      await sleep(100);
    }
    await survivor.kill('SIGKILL');
  }
  return times;
}

async function main(): Promise<void> {
  const total = argument('events', 1_000_000);
  process.env.EMULATOR_NODE_ARGS ??= '--max-semi-space-size=64';
  const redis = await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  process.env.REDIS_URL = redis.url;
  const mariaDb = await ensureMariaDb(process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/stockwall');
  process.env.DATABASE_URL = mariaDb.url;
  const cluster = await IngestCluster.start({ shards: SHARDS, emulator: 'kinesalite-process' });
  try {
    console.log(`Pre-loading ${total} events on ${SHARDS} shards…`);
    await preload(cluster, new IngestTraffic('BENCH', 5_000), total);
    for (const shard of await cluster.openShards()) {
      lastSequences.set(shard.ShardId!, await lastSequenceOf(cluster, shard.ShardId!));
    }
    const sharedCpu = process.argv.includes('--shared-cpu');
    const priority = sharedCpu ? 'unchanged (--shared-cpu)' : raisePriority(cluster.emulatorPid!, EMULATOR_NICE);
    console.log(`emulator priority: ${priority}; node flags: ${process.env.EMULATOR_NODE_ARGS || 'none'}`);
    console.log('(a) raw GetRecords read…');
    const [rawBefore, rawLoad] = await withEmulatorLoad(cluster, () => rawReadRate(cluster, total));
    console.log(`    ${Math.round(rawBefore)} records/s (emulator busy ${rawLoad} of a core)`);
    const results: [string, DrainRate][] = [];
    const targetPlans: boolean[] = [];
    // Draining into Redis is the `ingest` role (persist jobs are still enqueued before every
    // apply); the same drain with MySQL persistence in the same processes is reported beside it.
    // --plan 2:ingest,jobs (several joined by +) chooses the drains; the default runs all three.
    const planIndex = process.argv.indexOf('--plan');
    const plans = planIndex > 0 ? process.argv[planIndex + 1] : `1:ingest+2:ingest+${TARGET_PLAN}`;
    const runs = plans.split('+').map((plan) => {
      const [workers, roles] = plan.split(':');
      return [Number(workers), roles] as [number, string];
    });
    for (const [workers, roles] of runs) {
      console.log(`(b) Stockwall drain, ${workers} worker(s), roles ${roles}…`);
      const [rate, load] = await withEmulatorLoad(cluster, () => drainRate(cluster, workers, total, roles));
      console.log(`    emulator busy ${load} of a core`);
      console.log(
        `    from first lease ${Math.round(rate.fromFirstLease)} events/s = ${(rate.fromFirstLease / rawBefore).toFixed(2)} × raw; ` +
          `from process start ${Math.round(rate.fromStart)} events/s = ${(rate.fromStart / rawBefore).toFixed(2)} × raw ` +
          `(boot ${rate.bootMs} ms)`,
      );
      results.push([`${workers} worker${workers > 1 ? 's' : ''} (${roles.replace(',', ' + ')})`, rate]);
      targetPlans.push(`${workers}:${roles}` === TARGET_PLAN);
    }
    console.log('(a) raw GetRecords read again, after the drains…');
    const rawAfter = await rawReadRate(cluster, total);
    console.log(`    ${Math.round(rawAfter)} records/s`);
    const raw = Math.max(rawBefore, rawAfter);
    const rounds = argument('failover-rounds', 3);
    console.log('(c) failover…');
    const killed = rounds ? await failover(cluster, 'SIGKILL', rounds) : [0];
    const terminated = rounds ? await failover(cluster, 'SIGTERM', rounds) : [0];
    console.log('\n| measure | result | ratio / target |\n|---|---|---|');
    console.log(`| emulator priority, node flags | ${priority}; ${process.env.EMULATOR_NODE_ARGS || 'none'} | — |`);
    console.log(
      `| raw GetRecords read (baseline), before / after the drains | ${Math.round(rawBefore)} / ${Math.round(rawAfter)} records/s | 1.00 = the faster |`,
    );
    for (const [label, rate] of results) {
      console.log(
        `| Stockwall drain into Redis, ${label}, from first lease | ${Math.round(rate.fromFirstLease)} events/s | ` +
          `${(rate.fromFirstLease / raw).toFixed(2)} × raw (target ≥ 0.90) |`,
      );
      console.log(
        `| same, from process start (boot ${rate.bootMs} ms) | ${Math.round(rate.fromStart)} events/s | ` +
          `${(rate.fromStart / raw).toFixed(2)} × raw |`,
      );
    }
    console.log(
      `| failover after SIGKILL (${rounds} runs) | median ${median(killed)} ms, max ${Math.max(...killed)} ms | target ≤ 2000 ms |`,
    );
    results.forEach(([label, rate], index) => {
      reportMeasure({
        bench: 'ingest',
        name: `drain into Redis, ${SHARDS} shards, ${label}, from first lease`,
        value: rate.fromFirstLease,
        unit: 'events/s',
        baseline: { name: 'the emulator’s raw GetRecords rate, same limits', value: raw },
        ratio: rate.fromFirstLease / raw,
        ...(targetPlans[index] ? { target: { ratioAtLeast: 0.95, text: '≥ 0.95× raw GetRecords' } } : {}),
      });
      reportSeries({
        bench: 'ingest',
        name: `drain, ${SHARDS} shards, ${label}`,
        kind: 'throughput',
        values: rate.series,
      });
    });
    if (rounds) {
      reportMeasure({
        bench: 'ingest',
        name: `failover after SIGKILL, default settings (worst of ${rounds})`,
        value: Math.max(...killed),
        unit: 'ms',
        target: { valueAtMost: 2000, text: '≤ 2,000 ms' },
        note: `median ${median(killed)} ms; after SIGTERM median ${median(terminated)} ms. A killed worker's leases lapse after LEASE_TTL_MS (3,000 ms by default) and are taken at the survivor's next lease round (LEASE_RENEW_MS, a third of the TTL).`,
      });
    }
    console.log(
      `| failover after SIGTERM (${rounds} runs) | median ${median(terminated)} ms, max ${Math.max(...terminated)} ms | target ≤ 2000 ms |`,
    );
  } finally {
    await cluster.stop();
    await redis.stop();
    await mariaDb.stop();
  }
}

async function lastSequenceOf(cluster: IngestCluster, shardId: string): Promise<string> {
  let { ShardIterator: iterator } = await cluster.admin.send(
    new GetShardIteratorCommand({
      StreamName: cluster.config.kinesis.streamName,
      ShardId: shardId,
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  );
  let last = '';
  while (iterator) {
    const response = await cluster.admin.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: GET_RECORDS_LIMIT }),
    );
    const records = response.Records ?? [];
    if (records.length > 0) last = records[records.length - 1].SequenceNumber!;
    if (records.length === 0 && (response.MillisBehindLatest ?? 0) === 0) break;
    iterator = response.NextShardIterator;
  }
  return last;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

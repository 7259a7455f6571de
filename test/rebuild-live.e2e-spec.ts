import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import Redis from 'ioredis';
import { KpiRepository, LiveStateRepository, windowRebuildFrom } from '@stockwall/aggregation';
import { KpiWindow, toCents, WireEvent } from '@stockwall/contracts';
import { findFreePort } from '@stockwall/local-stack';
import { reconcile, ReconcileReport } from '../apps/cli/src/commands/reconcile.command';
import { runReplay } from '../apps/cli/src/replay/replay-runner';
import type { KnownProduct } from '../apps/cli/src/replay/replay-types';
import { DATASETS_DIR } from './support/datasets';
import { IngestCluster } from './support/ingest-cluster';
import { eventually } from './support/test-stack';

const ROOT = path.resolve(__dirname, '..');
const REGISTER = path.join(__dirname, 'support', 'ts-register.js');
const CLI = path.join(ROOT, 'apps/cli/src/main.ts');
const BY_DAY = join(DATASETS_DIR, 'online-retail/by-day');

function days(...names: string[]): string[] {
  const available = new Set(readdirSync(BY_DAY));
  for (const name of names) if (!available.has(`${name}.csv`)) throw new Error(`missing dataset file ${name}.csv`);
  return names.map((name) => join(BY_DAY, `${name}.csv`));
}

/** Runs the CLI as a process against the cluster's Redis prefix, stream and database. */
function runCli(cluster: IngestCluster, ...args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', REGISTER, CLI, ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        REDIS_URL: cluster.config.redis.url,
        REDIS_PREFIX: cluster.config.redis.prefix,
        DATABASE_URL: cluster.config.database.url,
        KINESIS_STREAM: cluster.config.kinesis.streamName,
        LEASE_TTL_MS: String(cluster.config.worker.leaseTtlMs),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/**
 * What was sent, summed independently of the pipeline: on hand and committed per SKU (the event
 * table of design.md), and each sale with its time for window sums.
 */
class SentLedger {
  readonly stock = new Map<string, { onHand: number; committed: number }>();
  readonly defined: KnownProduct[] = [];
  readonly sales: { at: number; orders: number; units: number; revenueCents: number }[] = [];
  events = 0;

  record(events: readonly WireEvent[]): void {
    for (const event of events) {
      this.events++;
      const wire = event as any;
      const at = Date.parse(wire.occurred_at ?? wire.product?.timestamp);
      switch (wire.event_type) {
        case 'product_added':
          this.stock.set(wire.product.product_id, { onHand: wire.product.quantity, committed: 0 });
          this.defined.push({ sku: wire.product.product_id, location: 'main' });
          break;
        case 'quantity_changed':
          this.of(wire.product.product_id).onHand += wire.product.quantity_delta;
          break;
        case 'order_placed':
        case 'order_fulfilled':
        case 'order_cancelled':
        case 'order_returned': {
          let units = 0;
          let revenueCents = 0;
          for (const line of wire.lines as { sku: string; quantity: number; unit_price: string }[]) {
            const stock = this.of(line.sku);
            if (wire.event_type === 'order_placed') stock.committed += line.quantity;
            if (wire.event_type === 'order_fulfilled') {
              stock.onHand -= line.quantity;
              stock.committed -= line.quantity;
            }
            if (wire.event_type === 'order_cancelled') stock.committed -= line.quantity;
            if (wire.event_type === 'order_returned') stock.onHand += line.quantity;
            const sign = wire.event_type === 'order_placed' ? 1 : wire.event_type === 'order_fulfilled' ? 0 : -1;
            units += sign * line.quantity;
            revenueCents += sign * line.quantity * toCents(line.unit_price)!;
          }
          this.sales.push({ at, orders: wire.event_type === 'order_placed' ? 1 : 0, units, revenueCents });
          break;
        }
        default:
          throw new Error(`the ledger does not know ${wire.event_type}`);
      }
    }
  }

  window(fromMs: number, endMs: number): { orders: number; units: number; revenueCents: number } {
    const inside = this.sales.filter((sale) => sale.at >= fromMs && sale.at < endMs);
    return {
      orders: inside.reduce((sum, sale) => sum + sale.orders, 0),
      units: inside.reduce((sum, sale) => sum + sale.units, 0),
      revenueCents: inside.reduce((sum, sale) => sum + sale.revenueCents, 0),
    };
  }

  private of(sku: string): { onHand: number; committed: number } {
    const stock = this.stock.get(sku);
    if (!stock) throw new Error(`${sku} was sold before it was added`);
    return stock;
  }
}

/**
 * Publishes a replay chunk so that its result does not depend on how shards interleave: the chunk's
 * `product_added` events (which set stock) go first and are waited for in Redis and MySQL, then the
 * rest (pure deltas at a fixed cost, which commute). What is tested here is the rebuild and the
 * restart, not the cross-shard order of set-type events.
 */
function publisherFor(cluster: IngestCluster, ledger: SentLedger) {
  return async (events: WireEvent[]): Promise<void> => {
    const defines = events.filter((event) => event.event_type === 'product_added');
    const rest = events.filter((event) => event.event_type !== 'product_added');
    if (defines.length > 0) {
      await cluster.publisher.publish(defines);
      ledger.record(defines);
      const skus = defines.map((event) => (event as any).product.product_id as string);
      await eventually(
        async () => {
          const pipeline = cluster.redis.pipeline();
          for (const sku of skus) pipeline.exists(`${cluster.prefix}stock:main:${sku}`);
          const inRedis = ((await pipeline.exec()) ?? []).filter(([, exists]) => exists === 1).length;
          const [{ count }] = await cluster.infrastructure.dataSource.query(
            `SELECT COUNT(*) AS count FROM stock_levels WHERE location = 'main' AND sku IN (?)`,
            [skus],
          );
          return inRedis === skus.length && Number(count) === skus.length ? true : undefined;
        },
        120_000,
        `${skus.length} new products in Redis and MySQL`,
      );
    }
    if (rest.length > 0) {
      await cluster.publisher.publish(rest);
      ledger.record(rest);
    }
  };
}

async function replay(cluster: IngestCluster, ledger: SentLedger, files: string[], rate?: number) {
  return runReplay({
    files,
    format: 'online-retail',
    publish: publisherFor(cluster, ledger),
    knownProducts: [...ledger.defined],
    options: { openingStock: 100, reorderPoint: 10, costPercent: 60 },
    rate,
  });
}

/** Adds the workers' last lines of output to a failure, which otherwise says only what was awaited. */
async function explained<T>(cluster: IngestCluster, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const output = [...cluster.workers.values()].map(
      (worker) => `${worker.name}:\n${worker.output.slice(-15).join('\n')}`,
    );
    throw new Error(`${(error as Error).message}\n${output.join('\n')}`);
  }
}

function canonicalStock(entries: [string, { onHand: number; committed: number }][]): string {
  return JSON.stringify(entries.sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0)));
}

/** On hand and committed of every SKU in Redis, in SKU order. */
async function liveStock(cluster: IngestCluster): Promise<string> {
  const rows = (await new LiveStateRepository(cluster.redis, cluster.prefix).readSnapshot()).rows;
  return canonicalStock(rows.map((row) => [row.sku, { onHand: row.onHand, committed: row.committed }]));
}

/**
 * Waits until everything sent is applied in Redis (its stock is the ledger's) and stored in MySQL
 * (one row per event), so a reconcile that follows compares final states, not two stores equally behind.
 */
async function drained(cluster: IngestCluster, ledger: SentLedger): Promise<void> {
  const expected = canonicalStock([...ledger.stock]);
  await explained(
    cluster,
    eventually(
      async () => {
        const [{ count }] = await cluster.infrastructure.dataSource.query(
          'SELECT COUNT(*) AS count FROM inventory_events',
        );
        return Number(count) === ledger.events && (await liveStock(cluster)) === expected ? true : undefined;
      },
      300_000,
      `${ledger.events} events in Redis and MySQL`,
    ),
  );
}

function expectClean(report: ReconcileReport): void {
  expect({ drift: report.drift, notes: report.notes, windows: report.windows }).toEqual({
    drift: [],
    notes: [],
    windows: ['1h', '24h'],
  });
  expect(report.skus).toBeGreaterThan(100);
}

/** The live state against the ledger: every SKU's stock, and the window sums (live plus late). */
async function expectLedger(cluster: IngestCluster, ledger: SentLedger): Promise<void> {
  const live = new LiveStateRepository(cluster.redis, cluster.prefix);
  const rows = (await live.readSnapshot()).rows;
  expect(Object.fromEntries(rows.map((row) => [row.sku, { onHand: row.onHand, committed: row.committed }]))).toEqual(
    Object.fromEntries(ledger.stock),
  );
  const kpis = new KpiRepository(cluster.redis, cluster.prefix);
  for (const window of ['1h', '24h'] as KpiWindow[]) {
    const sales = (await kpis.readWindowTotals(window, null))!;
    expect({
      window,
      orders: sales.live.orders + sales.late.orders,
      units: sales.live.units + sales.late.units,
      revenueCents: sales.live.revenueCents + sales.late.revenueCents,
    }).toEqual({ window, ...ledger.window(sales.fromMs, sales.endMs) });
  }
  const [{ count }] = await cluster.infrastructure.dataSource.query('SELECT COUNT(*) AS count FROM inventory_events');
  expect(Number(count)).toBe(ledger.events);
}

/** Every stock hash's forecast and alert fields (what a rebuild must carry over). */
async function stockHashes(cluster: IngestCluster): Promise<Map<string, Record<string, string>>> {
  const keys = await cluster.redis.keys(`${cluster.prefix}stock:*`);
  const hashes = new Map<string, Record<string, string>>();
  for (const key of keys) hashes.set(key, await cluster.redis.hgetall(key));
  return hashes;
}

/**
 * Every window bucket that can still count (start within the retention before the watermark) with
 * its sales sums, on-time and late added together (which events came late is not kept in MySQL).
 */
async function bucketSums(cluster: IngestCluster): Promise<Record<string, number[]>> {
  const watermark = Number(await cluster.redis.get(`${cluster.prefix}watermark`));
  const from = windowRebuildFrom(watermark, cluster.config.aggregation.allowedLatenessMs);
  const sums: Record<string, number[]> = {};
  for (const key of await cluster.redis.keys(`${cluster.prefix}kpi:*`)) {
    if (key.endsWith(':u') || key.endsWith(':r') || Number(key.split(':').pop()) < from) continue;
    const fields = await cluster.redis.hgetall(key);
    const value = (name: string) => Number(fields[name] ?? 0) + Number(fields[`l${name}`] ?? 0);
    const figures = ['o', 'r', 'u', 'c', 'n'].map(value);
    if (figures.some((figure) => figure !== 0)) sums[key] = figures;
  }
  return sums;
}

async function deleteEverything(redis: Redis, ...prefixes: string[]): Promise<number> {
  let deleted = 0;
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}*`);
    for (let start = 0; start < keys.length; start += 500)
      deleted += await redis.del(...keys.slice(start, start + 500));
  }
  return deleted;
}

describe('rebuild-live: Redis rebuilt from MySQL after it lost everything', () => {
  jest.setTimeout(900_000);
  let cluster: IngestCluster;
  const ledger = new SentLedger();

  beforeAll(async () => {
    cluster = await IngestCluster.start({ shards: 4 });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('rebuilds stock, windows and checkpoints; workers resume from MySQL positions and stay exact', async () => {
    cluster.startWorker();
    cluster.startWorker();
    await replay(cluster, ledger, days('2011-11-01', '2011-11-02', '2011-11-03'));
    await drained(cluster, ledger);
    expectClean(await reconcile(cluster.config, 300));
    await expectLedger(cluster, ledger);

    // While workers hold the stream, the rebuild refuses with one line and exit 1.
    const refused = await runCli(cluster, 'rebuild-live');
    expect(refused.code).toBe(1);
    expect(refused.output.trim().split('\n')).toHaveLength(1);
    expect(refused.output).toMatch(/^rebuild-live: refused, stream .* held by 2 running worker/);

    const kpis = new KpiRepository(cluster.redis, cluster.prefix);
    const stockBefore = (await kpis.readLive('24h', null)).stock;
    const hashesBefore = await stockHashes(cluster);
    const bucketsBefore = await bucketSums(cluster);
    const shards = (await cluster.shards()).map((shard) => shard.ShardId!);
    const checkpointsBefore = await Promise.all(shards.map((shard) => cluster.checkpoint(shard)));
    for (const worker of cluster.runningWorkers()) expect((await worker.kill('SIGTERM')).code).toBe(0);

    // Redis loses everything: the live state, the checkpoints, the leases and the queues.
    expect(await deleteEverything(cluster.redis, cluster.prefix, `${cluster.config.queue.prefix}:`)).toBeGreaterThan(
      1_000,
    );
    const lost = await reconcile(cluster.config);
    expect(lost.notes).toHaveLength(2);
    expect(lost.drift.length).toBeGreaterThan(100);

    const rebuilt = await runCli(cluster, 'rebuild-live');
    expect(rebuilt.output).toMatch(
      /^rebuild-live: \d+ SKU\/location rows, \d+ window buckets, 4 shard checkpoints, version \d+, watermark 2011-11-03T\S+, [\d.]+ s/,
    );
    expect(rebuilt.code).toBe(0);
    const rebuiltVersion = Number(/version (\d+)/.exec(rebuilt.output)![1]);
    // Above every version MySQL recorded, so MySQL keeps following the apply order after the rebuild.
    const [{ recorded }] = await cluster.infrastructure.dataSource.query(
      'SELECT GREATEST(COALESCE(MAX(apply_version), 0), (SELECT COALESCE(MAX(live_version), 0) FROM stock_levels)) AS recorded FROM inventory_events',
    );
    expect(Number(recorded)).toBeGreaterThan(0);
    expect(rebuiltVersion).toBe(Number(recorded) + 1);
    expect(Number(await cluster.redis.get(`${cluster.prefix}version`))).toBe(rebuiltVersion);
    expectClean(await reconcile(cluster.config));
    await expectLedger(cluster, ledger);
    expect((await kpis.readLive('24h', null)).stock).toEqual(stockBefore);
    // Every minute and quarter bucket, per source and overall, not only the compared windows.
    const bucketsAfter = await bucketSums(cluster);
    expect(Object.keys(bucketsAfter).length).toBeGreaterThan(100);
    expect(bucketsAfter).toEqual(bucketsBefore);
    // Checkpoints at MySQL's positions, which after a clean reconcile are the ones Redis had.
    expect(
      (await Promise.all(shards.map((shard) => cluster.checkpoint(shard)))).map(({ seq, sub }) => ({ seq, sub })),
    ).toEqual(checkpointsBefore.map(({ seq, sub }) => ({ seq, sub })));
    // Alert state carried over (so nothing is raised twice) and the sell rate recomputed from the lines.
    const hashesAfter = await stockHashes(cluster);
    expect([...hashesAfter.keys()].sort()).toEqual([...hashesBefore.keys()].sort());
    let selling = 0;
    for (const [key, before] of hashesBefore) {
      const after = hashesAfter.get(key)!;
      expect({ key, la: after.la, out: after.os !== '' }).toEqual({ key, la: before.la, out: before.os !== '' });
      expect({ key, sold: after.sr !== undefined }).toEqual({ key, sold: before.sr !== undefined });
      if (before.sr === undefined) continue;
      selling++;
      expect(Math.abs(Number(after.sr) - Number(before.sr))).toBeLessThanOrEqual(1e-9 * Number(before.sr));
      expect(after.st).toBe(before.st);
    }
    expect(selling).toBeGreaterThan(100);

    cluster.startWorker();
    cluster.startWorker();
    await replay(cluster, ledger, days('2011-11-04', '2011-11-06'));
    await drained(cluster, ledger);
    expectClean(await reconcile(cluster.config, 300));
    await expectLedger(cluster, ledger);
    expect(Number(await cluster.redis.get(`${cluster.prefix}version`))).toBeGreaterThan(rebuiltVersion);
  });

  // Continues from the state the test above leaves (its workers running, everything reconciled).
  it('re-reads from MySQL positions what Redis had applied but MySQL had not persisted when Redis was lost', async () => {
    for (const worker of cluster.runningWorkers()) expect((await worker.kill('SIGTERM')).code).toBe(0);
    const persistedBefore = ledger.events;
    // Workers that only read the stream: persist jobs pile up in the queue and never reach MySQL.
    cluster.startWorker(undefined, { WORKER_ROLES: 'ingest' });
    cluster.startWorker(undefined, { WORKER_ROLES: 'ingest' });
    const summary = await runReplay({
      files: days('2011-11-07'),
      format: 'online-retail',
      publish: knownOnly(cluster, ledger),
      knownProducts: [...ledger.defined],
      options: { openingStock: 100, reorderPoint: 10, costPercent: 60 },
    });
    expect(ledger.events - persistedBefore).toBeGreaterThan(100);
    expect(summary.eventsSent).toBeGreaterThan(0);
    const expected = canonicalStock([...ledger.stock]);
    await explained(
      cluster,
      eventually(
        async () => ((await liveStock(cluster)) === expected ? true : undefined),
        120_000,
        'the new events in Redis',
      ),
    );
    const [{ count }] = await cluster.infrastructure.dataSource.query('SELECT COUNT(*) AS count FROM inventory_events');
    expect(Number(count)).toBe(persistedBefore);
    for (const worker of cluster.runningWorkers()) await worker.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, cluster.config.worker.leaseTtlMs + 500));

    // Redis is lost with the queued persist jobs; the rebuild takes MySQL's older state and positions.
    await deleteEverything(cluster.redis, cluster.prefix, `${cluster.config.queue.prefix}:`);
    const rebuilt = await runCli(cluster, 'rebuild-live');
    expect(rebuilt.code).toBe(0);
    expectClean(await reconcile(cluster.config));
    expect(await liveStock(cluster)).not.toBe(expected);

    cluster.startWorker();
    cluster.startWorker();
    await drained(cluster, ledger);
    expectClean(await reconcile(cluster.config, 300));
    await expectLedger(cluster, ledger);
  });
});

/** Publishes only events about SKUs the ledger already holds (deltas only: no order of shards matters). */
function knownOnly(cluster: IngestCluster, ledger: SentLedger) {
  return async (events: WireEvent[]): Promise<void> => {
    const known = events.filter((event) => {
      const wire = event as any;
      if (wire.event_type === 'product_added') return false;
      const skus: string[] = wire.lines
        ? wire.lines.map((line: { sku: string }) => line.sku)
        : [wire.product.product_id];
      return skus.every((sku) => ledger.stock.has(sku));
    });
    if (known.length === 0) return;
    await cluster.publisher.publish(known);
    ledger.record(known);
  };
}

/** A private redis-server with AOF on, in its own directory, restartable on the same port. */
class AofRedis {
  private process: ChildProcess | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), 'stockwall-aof-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<AofRedis> {
    const redis = new AofRedis(await findFreePort());
    await redis.launch();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async launch(): Promise<void> {
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--save', ''],
      { stdio: 'ignore' },
    );
    await eventually(
      async () => {
        const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        try {
          await client.connect();
          return (await client.ping()) === 'PONG' ? true : undefined;
        } finally {
          client.disconnect();
        }
      },
      10_000,
      'the private redis-server',
    );
  }

  /** SHUTDOWN (AOF flushed), then the same server again on the same files. */
  async restart(): Promise<void> {
    const exited = new Promise((resolve) => this.process!.once('exit', resolve));
    const client = new Redis(this.url, { maxRetriesPerRequest: 0 });
    await client.call('SHUTDOWN').catch(() => undefined);
    client.disconnect();
    await exited;
    await this.launch();
  }

  async stop(): Promise<void> {
    if (this.process && this.process.exitCode === null) {
      const exited = new Promise((resolve) => this.process!.once('exit', resolve));
      this.process.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('Redis with AOF restarted mid-stream', () => {
  jest.setTimeout(900_000);
  let redis: AofRedis;
  let cluster: IngestCluster;
  const ledger = new SentLedger();

  beforeAll(async () => {
    redis = await AofRedis.start();
    cluster = await IngestCluster.start({ shards: 4, env: { REDIS_URL: redis.url } });
  });

  afterAll(async () => {
    await cluster?.stop();
    await redis?.stop();
  });

  it('keeps every event exactly once through a SHUTDOWN and restart during a replay', async () => {
    cluster.startWorker();
    cluster.startWorker();
    const replaying = replay(cluster, ledger, days('2011-11-07', '2011-11-08', '2011-11-09'), 100);
    let replayFailure: unknown;
    replaying.catch((error: unknown) => (replayFailure = error));
    // Mid-stream: some events applied, most still to come.
    await explained(
      cluster,
      eventually(
        async () => {
          if (replayFailure) throw replayFailure as Error;
          return (await cluster.redis.zcard(`${cluster.prefix}stock-index`)) >= 200 || undefined;
        },
        120_000,
        'the first 200 products applied',
      ),
    );
    const applied = Number(await cluster.redis.get(`${cluster.prefix}version`));
    const sentBeforeRestart = ledger.events;
    await redis.restart();
    // The restarted server came back with what it had applied (the AOF), not empty.
    expect(Number(await cluster.redis.get(`${cluster.prefix}version`))).toBeGreaterThanOrEqual(applied);
    const summary = await replaying;
    expect(ledger.events).toBe(summary.eventsSent);
    expect(summary.eventsSent).toBeGreaterThan(sentBeforeRestart);
    await drained(cluster, ledger);

    expectClean(await reconcile(cluster.config, 300));
    await expectLedger(cluster, ledger);
    // Both workers lived through the restart (their connections reconnect): any that exited, with its last words.
    const exited = [...cluster.workers.values()].filter((worker) => !worker.running);
    expect(exited.map((worker) => `${worker.name}: ${worker.output.slice(-8).join('\n')}`)).toEqual([]);
  });
});

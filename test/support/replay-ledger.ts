import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path, { join } from 'node:path';
import Redis from 'ioredis';
import { KpiRepository, LiveStateRepository } from '@stockwall/aggregation';
import { KpiWindow, toCents, WireEvent } from '@stockwall/contracts';
import type { ReconcileReport } from '../../apps/cli/src/commands/reconcile.command';
import { runReplay } from '../../apps/cli/src/replay/replay-runner';
import type { KnownProduct } from '../../apps/cli/src/replay/replay-types';
import { DATASETS_DIR } from './datasets';
import type { IngestCluster } from './ingest-cluster';
import { eventually } from './test-stack';

/**
 * Replays of the online-retail days against an ingest cluster with a ledger of what was sent, and the
 * checks that the live state, the windows and MySQL hold exactly that: what the rebuild-live and
 * Redis restart tests share.
 */
const ROOT = path.resolve(__dirname, '../..');
const REGISTER = path.join(__dirname, 'ts-register.js');
const CLI = path.join(ROOT, 'apps/cli/src/main.ts');
const BY_DAY = join(DATASETS_DIR, 'online-retail/by-day');

export function days(...names: string[]): string[] {
  const available = new Set(readdirSync(BY_DAY));
  for (const name of names) if (!available.has(`${name}.csv`)) throw new Error(`missing dataset file ${name}.csv`);
  return names.map((name) => join(BY_DAY, `${name}.csv`));
}

/** Runs the CLI as a process against the cluster's Redis prefix, stream and database. */
export function runCli(cluster: IngestCluster, ...args: string[]): Promise<{ code: number | null; output: string }> {
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
export class SentLedger {
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
export function publisherFor(cluster: IngestCluster, ledger: SentLedger) {
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

export async function replay(cluster: IngestCluster, ledger: SentLedger, files: string[], rate?: number) {
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
export async function explained<T>(cluster: IngestCluster, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const output = [...cluster.workers.values()].map(
      (worker) => `${worker.name}:\n${worker.output.slice(-15).join('\n')}`,
    );
    throw new Error(`${(error as Error).message}\n${output.join('\n')}`);
  }
}

export function canonicalStock(entries: [string, { onHand: number; committed: number }][]): string {
  return JSON.stringify(entries.sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0)));
}

/** On hand and committed of every SKU in Redis, in SKU order. */
export async function liveStock(cluster: IngestCluster): Promise<string> {
  const rows = (await new LiveStateRepository(cluster.redis, cluster.prefix).readSnapshot()).rows;
  return canonicalStock(rows.map((row) => [row.sku, { onHand: row.onHand, committed: row.committed }]));
}

/**
 * Waits until everything sent is applied in Redis (its stock is the ledger's) and stored in MySQL
 * (one row per event), so a reconcile that follows compares final states, not two stores equally behind.
 */
export async function drained(cluster: IngestCluster, ledger: SentLedger): Promise<void> {
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

export function expectClean(report: ReconcileReport): void {
  expect({ drift: report.drift, notes: report.notes, windows: report.windows }).toEqual({
    drift: [],
    notes: [],
    windows: ['1h', '24h'],
  });
  expect(report.skus).toBeGreaterThan(100);
}

/** The live state against the ledger: every SKU's stock, and the window sums (live plus late). */
export async function expectLedger(cluster: IngestCluster, ledger: SentLedger): Promise<void> {
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

export async function deleteEverything(redis: Redis, ...prefixes: string[]): Promise<number> {
  let deleted = 0;
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}*`);
    for (let start = 0; start < keys.length; start += 500)
      deleted += await redis.del(...keys.slice(start, start + 500));
  }
  return deleted;
}

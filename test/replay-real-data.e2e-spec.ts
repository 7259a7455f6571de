import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { KpiRepository, LiveStateRepository } from '@stockwall/aggregation';
import { formatCents, KPI_WINDOW_SPECS, KPI_WINDOWS, KpiWindow } from '@stockwall/contracts';
import type { QueryRunner } from 'typeorm';
import { reconcile } from '../apps/cli/src/commands/reconcile.command';
import { listReplayFiles } from '../apps/cli/src/replay/replay-source';
import { DATASETS_DIR } from './support/datasets';
import { IngestCluster } from './support/ingest-cluster';
import {
  loadCafeOracle,
  loadOnlineRetailOracle,
  REORDER_POINT,
  replayDayByDay,
  scratchDatabase,
  startCluster,
  waitUntilPersisted,
} from './support/real-data-replay';
import { eventually } from './support/test-stack';

/**
 * Replays real data through Kinesis on several shards, three worker processes (one killed with
 * SIGKILL halfway and replaced), Redis and MySQL, and checks every stock figure and every window
 * figure against SQL run by MariaDB over the raw CSV rows (LOAD DATA INFILE): the expected values
 * never pass through the replay's parsers or the aggregation code. Then `reconcile` must find
 * Redis, MySQL and a fold of every stored event equal, to the cent.
 *
 * Events are put day by day, each day drained before the next (see putAndDrain), and each day's new
 * SKUs (product_added, which sets the opening stock) before its sales, as a shop's catalog exists
 * before its orders: a sale of a SKU on another shard could otherwise be applied before the SKU is
 * defined, and the SQL below assumes it never is. What happens when they race, and when shards run
 * days apart in event time, is the subject of test/cross-shard-order.e2e-spec.ts.
 */
const DATASETS = DATASETS_DIR;

/** What SQL says a window holds: facts are rows of `facts` (see each dataset's setup). */
async function expectedWindow(sql: QueryRunner, window: KpiWindow, watermark: number, source: string | null) {
  const { lengthMs, bucketMs } = KPI_WINDOW_SPECS[window];
  const last = Math.floor(watermark / bucketMs) * bucketMs;
  const first = last - lengthMs + bucketMs;
  const where =
    `FLOOR(at_ms / ${bucketMs}) * ${bucketMs} BETWEEN ${first} AND ${last}` + (source ? ' AND source = ?' : '');
  const parameters = source ? [source] : [];
  const [totals] = await sql.query(
    `SELECT COUNT(DISTINCT CASE WHEN kind = 'sale' THEN order_key END) AS orders, COALESCE(SUM(units), 0) AS units,
       COALESCE(SUM(revenue), 0) AS revenue, COALESCE(SUM(cogs), 0) AS cogs FROM facts WHERE ${where}`,
    parameters,
  );
  const top = async (by: 'units' | 'revenue') =>
    (
      await sql.query(
        `SELECT sku, SUM(units) AS units, SUM(revenue) AS revenue FROM facts WHERE ${where}
         GROUP BY sku HAVING SUM(${by}) > 0 ORDER BY SUM(${by}) DESC, sku ASC LIMIT 10`,
        parameters,
      )
    ).map((row: any) => ({ sku: row.sku, units: Number(row.units), revenue: formatCents(Number(row.revenue)) }));
  const orders = Number(totals.orders);
  const revenue = Number(totals.revenue);
  const cogs = Number(totals.cogs);
  const [aov] = orders > 0 ? await sql.query('SELECT ROUND(? / ?) AS aov', [revenue, orders]) : [{ aov: null }];
  return {
    orders,
    units: Number(totals.units),
    revenue: formatCents(revenue),
    cogs: formatCents(cogs),
    grossMargin: formatCents(revenue - cogs),
    averageOrderValue: aov.aov === null ? null : formatCents(Number(aov.aov)),
    lateEvents: 0,
    topSkusByUnits: await top('units'),
    topSkusByRevenue: await top('revenue'),
  };
}

/**
 * Replays (catalog first, then the rest with a worker killed halfway), waits until every event is in
 * Redis and MySQL, and compares stock and all windows.
 */
async function replayAndCompare(
  cluster: IngestCluster,
  sql: QueryRunner,
  files: string[],
  format: 'online-retail' | 'cafe',
) {
  const summary = await replayDayByDay(cluster, files, format, { killWorkerHalfway: true });
  const [{ watermark }] = await sql.query('SELECT MAX(at_ms) AS watermark FROM facts');
  await waitUntilPersisted(cluster, summary);
  const data = cluster.infrastructure.dataSource;
  const kpis = new KpiRepository(cluster.redis, cluster.prefix);
  await eventually(
    async () =>
      (await kpis.readLive('1m', null)).watermark === new Date(Number(watermark)).toISOString() ? true : undefined,
    240_000,
    'the final watermark in Redis',
  );
  // Let the last batches of every shard land (MySQL may run ahead of Redis).
  const live = new LiveStateRepository(cluster.redis, cluster.prefix);
  const expectedStock: { sku: string; location: string; on_hand: string; cost: string | null }[] = await sql.query(
    'SELECT sku, location, on_hand, cost FROM expected_stock ORDER BY location, sku',
  );
  const byKey = (rows: { sku: string; location: string; onHand: number }[]) =>
    Object.fromEntries(rows.map((row) => [`${row.location}/${row.sku}`, row.onHand]));
  const expectedOnHand = Object.fromEntries(
    expectedStock.map((row) => [`${row.location}/${row.sku}`, Number(row.on_hand)]),
  );
  // MySQL may hold a batch before Redis applies it: wait for the stock to settle, then compare in full.
  const expectedJson = JSON.stringify(byKey(expectedStockRows(expectedOnHand)));
  await eventually(
    async () => (JSON.stringify(byKey((await live.readSnapshot()).rows)) === expectedJson ? true : undefined),
    20_000,
    'the expected stock in Redis',
  ).catch(() => undefined);
  const snapshot = await live.readSnapshot();
  expect(byKey(snapshot.rows)).toEqual(expectedOnHand);
  const costs = Object.fromEntries(
    expectedStock.map((row) => [
      `${row.location}/${row.sku}`,
      row.cost === null ? null : formatCents(Number(row.cost)),
    ]),
  );
  expect(Object.fromEntries(snapshot.rows.map((row) => [`${row.location}/${row.sku}`, row.unitCost]))).toEqual(costs);
  expect(snapshot.rows.every((row) => row.committed === 0)).toBe(true);

  const persisted: { sku: string; location: string; on_hand: number }[] = await data.query(
    'SELECT sku, location, on_hand FROM stock_levels',
  );
  expect(Object.fromEntries(persisted.map((row) => [`${row.location}/${row.sku}`, Number(row.on_hand)]))).toEqual(
    expectedOnHand,
  );

  const [stock] = await sql.query(
    `SELECT SUM(on_hand) AS units, SUM(GREATEST(on_hand, 0) * COALESCE(cost, 0)) AS value,
       SUM(on_hand <= 0) AS out_of_stock, SUM(on_hand <= ${REORDER_POINT}) AS below, COUNT(*) AS active FROM expected_stock`,
  );
  const sources: string[] = (await sql.query('SELECT DISTINCT source FROM facts ORDER BY source')).map(
    (row: any) => row.source,
  );
  let compared = 0;
  for (const source of [null, ...sources]) {
    for (const window of KPI_WINDOWS) {
      const actual = await kpis.readLive(window, source);
      const expected = await expectedWindow(sql, window, Number(watermark), source);
      expect({ window, source, ...pick(actual, Object.keys(expected)) }).toEqual({ window, source, ...expected });
      compared++;
    }
  }
  // Redis, MySQL and every stored event folded again agree, stock and windows, to the cent.
  const report = await reconcile(cluster.config, { waitSeconds: 60 });
  expect(report).toMatchObject({ drift: [], notes: [], recomputed: true, windows: ['1h', '24h'] });
  const overall = (await kpis.readLive('24h', null)).stock.overall;
  expect(overall).toEqual({
    units: Number(stock.units),
    stockValue: formatCents(Number(stock.value)),
    skusOutOfStock: Number(stock.out_of_stock),
    skusBelowReorderPoint: Number(stock.below),
    activeSkus: Number(stock.active),
  });
  return { summary, compared, skus: expectedStock.length };
}

function expectedStockRows(onHand: Record<string, number>) {
  return Object.entries(onHand).map(([key, value]) => {
    const [location, ...sku] = key.split('/');
    return { location, sku: sku.join('/'), onHand: value };
  });
}

function pick(value: object, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, (value as Record<string, unknown>)[key]]));
}

/** A cluster on `shards` shards and a scratch database beside it for the oracle, for the tests of one block. */
function clusterWithOracle(shards: number): { readonly cluster: IngestCluster; readonly sql: QueryRunner } {
  const world = {} as { cluster: IngestCluster; sql: QueryRunner };
  beforeAll(async () => {
    world.cluster = await startCluster(shards);
    world.sql = await scratchDatabase(world.cluster);
  });
  afterAll(async () => {
    await world.sql?.query(`DROP DATABASE IF EXISTS \`${world.cluster.config.database.name}_oracle\``);
    await world.sql?.release();
    await world.cluster?.stop();
  });
  return world;
}

describe('Replay of real data, checked against SQL over the raw rows', () => {
  jest.setTimeout(600_000);

  describe('UCI Online Retail, January 2011, on 4 shards', () => {
    const world = clusterWithOracle(4);

    it('matches every stock and window figure exactly', async () => {
      const { cluster, sql } = world;
      const directory = join(DATASETS, 'online-retail/by-day');
      const files = readdirSync(directory)
        .filter((name) => name.startsWith('2011-01-'))
        .sort()
        .map((name) => join(directory, name));
      await loadOnlineRetailOracle(sql, files);

      const { summary, compared, skus } = await replayAndCompare(cluster, sql, files, 'online-retail');
      const [{ row_count: rowCount }] = await sql.query('SELECT COUNT(*) AS row_count FROM raw_rows');
      expect(summary.rowsRead).toBe(Number(rowCount) + files.length);
      expect(summary.rejected.non_product_code).toBeGreaterThan(0);
      expect(compared).toBeGreaterThan(100);
      expect(skus).toBeGreaterThan(2_000);
    });
  });

  describe('Café branches, all 18 stores, on 8 shards', () => {
    const world = clusterWithOracle(8);

    it('matches every stock and window figure exactly', async () => {
      const { cluster, sql } = world;
      const files = listReplayFiles(join(DATASETS, 'cafe/branches'), 'cafe');
      await loadCafeOracle(sql, files);

      const { summary, compared } = await replayAndCompare(cluster, sql, files, 'cafe');
      const [{ row_count: rowCount }] = await sql.query('SELECT COUNT(*) AS row_count FROM raw_rows');
      expect(summary.rowsRead).toBe(Number(rowCount));
      expect(summary.rejected).toEqual({});
      const [{ stores }] = await sql.query('SELECT COUNT(DISTINCT store) AS stores FROM raw_rows');
      expect(Number(stores)).toBe(18);
      expect(compared).toBe(19 * 5);
    });
  });
});

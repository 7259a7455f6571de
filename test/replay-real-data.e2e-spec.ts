import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { KpiRepository, LiveStateRepository } from '@stockwall/aggregation';
import { formatCents, KPI_WINDOW_SPECS, KPI_WINDOWS, KpiWindow } from '@stockwall/contracts';
import type { QueryRunner } from 'typeorm';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { WireEvent } from '@stockwall/contracts';
import { partitionKeyOf } from '@stockwall/ingest';
import { reconcile } from '../apps/cli/src/commands/reconcile.command';
import { listReplayFiles } from '../apps/cli/src/replay/replay-source';
import { runReplay, ReplaySummary } from '../apps/cli/src/replay/replay-runner';
import { DATASETS_DIR } from './support/datasets';
import { IngestCluster } from './support/ingest-cluster';
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
const OPENING_STOCK = 100;
const REORDER_POINT = 10;

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
  const events: WireEvent[] = [];
  const summary: ReplaySummary = await runReplay({
    files,
    format,
    publish: async (batch) => {
      events.push(...batch);
    },
    options: { openingStock: OPENING_STOCK, reorderPoint: REORDER_POINT, costPercent: 60 },
  });
  expect(events).toHaveLength(summary.eventsSent);
  // Day by day (UTC), the day's new SKUs first; each part is drained from every shard before the next.
  const days = new Map<string, { catalog: WireEvent[]; rest: WireEvent[] }>();
  for (const event of events) {
    const day = new Date(eventTime(event)).toISOString().slice(0, 10);
    const part = days.get(day) ?? { catalog: [], rest: [] };
    (event.event_type === 'product_added' ? part.catalog : part.rest).push(event);
    days.set(day, part);
  }
  const ordered = [...days].sort(([left], [right]) => left.localeCompare(right));
  for (const [index, [, part]] of ordered.entries()) {
    if (index === Math.floor(ordered.length / 2)) {
      // SIGKILL a worker with batches in flight; a new one joins a few seconds later.
      const [victim] = cluster.runningWorkers();
      await victim.kill('SIGKILL');
      setTimeout(() => cluster.startWorker(), 3_000);
    }
    await putAndDrain(cluster, part.catalog);
    await putAndDrain(cluster, part.rest);
  }
  const [{ watermark }] = await sql.query('SELECT MAX(at_ms) AS watermark FROM facts');
  const data = cluster.infrastructure.dataSource;
  await eventually(
    async () => {
      const [{ count }] = await data.query('SELECT COUNT(*) AS count FROM inventory_events');
      return Number(count) === summary.eventsSent ? true : undefined;
    },
    420_000,
    `${summary.eventsSent} events in MySQL`,
  );
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

/** The event time a wire event carries (`occurred_at`, else its product's timestamp). */
function eventTime(event: WireEvent): number {
  const time = ('occurred_at' in event && event.occurred_at) || ('product' in event && event.product.timestamp);
  return Date.parse(String(time));
}

/**
 * Puts the events and waits until every shard's checkpoint covers what was put on it: the events
 * are applied live. Events of one UTC day put after the previous day is drained are never later
 * than the allowed lateness (a day in these tests) behind the watermark, on any number of shards.
 */
async function putAndDrain(cluster: IngestCluster, events: WireEvent[]): Promise<void> {
  const lastByShard = new Map<string, bigint>();
  for (let start = 0; start < events.length; start += 500) {
    const response = await cluster.admin.send(
      new PutRecordsCommand({
        StreamName: cluster.config.kinesis.streamName,
        Records: events.slice(start, start + 500).map((event) => ({
          Data: Buffer.from(JSON.stringify(event)),
          PartitionKey: partitionKeyOf(event),
        })),
      }),
    );
    if (response.FailedRecordCount) throw new Error(`${response.FailedRecordCount} records were not put`);
    for (const record of response.Records ?? []) {
      const sequence = BigInt(record.SequenceNumber!);
      if (sequence > (lastByShard.get(record.ShardId!) ?? 0n)) lastByShard.set(record.ShardId!, sequence);
    }
  }
  await eventually(
    async () => {
      for (const [shardId, last] of lastByShard) {
        const { seq } = await cluster.checkpoint(shardId);
        if (!seq || BigInt(seq) < last) return undefined;
      }
      return true;
    },
    120_000,
    `${events.length} events applied on every shard`,
  );
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

async function scratchDatabase(cluster: IngestCluster): Promise<QueryRunner> {
  const runner = cluster.infrastructure.dataSource.createQueryRunner();
  await runner.connect();
  await runner.query(`CREATE DATABASE \`${cluster.config.database.name}_oracle\` COLLATE utf8mb4_bin`);
  await runner.query(`USE \`${cluster.config.database.name}_oracle\``);
  return runner;
}

/** A stream of `shards` shards read by three worker processes, all leasing before anything is sent. */
async function startCluster(shards: number): Promise<IngestCluster> {
  // A day of lateness: see putAndDrain.
  const cluster = await IngestCluster.start({ shards, env: { ALLOWED_LATENESS_SECONDS: '86400' } });
  for (let index = 0; index < 3; index++) cluster.startWorker();
  await eventually(
    async () => ((await cluster.leaseOwners()).size === shards ? true : undefined),
    60_000,
    `${shards} shards leased`,
  );
  return cluster;
}

const MS = "TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', %s) * 1000";

describe('Replay of real data, checked against SQL over the raw rows', () => {
  jest.setTimeout(600_000);

  describe('UCI Online Retail, January 2011, on 4 shards', () => {
    let cluster: IngestCluster;
    let sql: QueryRunner;

    beforeAll(async () => {
      cluster = await startCluster(4);
      sql = await scratchDatabase(cluster);
    });

    afterAll(async () => {
      await sql?.query(`DROP DATABASE IF EXISTS \`${cluster.config.database.name}_oracle\``);
      await sql?.release();
      await cluster?.stop();
    });

    it('matches every stock and window figure exactly', async () => {
      const directory = join(DATASETS, 'online-retail/by-day');
      const files = readdirSync(directory)
        .filter((name) => name.startsWith('2011-01-'))
        .sort()
        .map((name) => join(directory, name));
      await sql.query(`CREATE TABLE raw_rows (id INT AUTO_INCREMENT PRIMARY KEY, invoice VARCHAR(32), code VARCHAR(64),
        description VARCHAR(512), quantity INT, invoice_date DATETIME, price DECIMAL(14,4), customer VARCHAR(32),
        country VARCHAR(64)) COLLATE utf8mb4_bin`);
      for (const file of files) {
        await sql.query(
          `LOAD DATA INFILE ? INTO TABLE raw_rows CHARACTER SET utf8mb4 FIELDS TERMINATED BY ','
           OPTIONALLY ENCLOSED BY '"' LINES TERMINATED BY '\\n' IGNORE 1 LINES
           (invoice, code, description, quantity, invoice_date, price, customer, country)`,
          [file],
        );
      }
      // Products only (five-digit codes or DCGS gift sets; no bad-debt 'A' invoices), each at its invoice's time.
      await sql.query(`CREATE TABLE product_rows AS SELECT r.*, ROUND(r.price * 100) AS cents, t.at FROM raw_rows r
        JOIN (SELECT invoice, MIN(invoice_date) AS at FROM raw_rows GROUP BY invoice) t ON t.invoice = r.invoice
        WHERE r.invoice NOT LIKE 'A%' AND r.code REGEXP '^([0-9]{5}|DCGS)'`);
      // Cost model: 60 % of the price on the SKU's first row, rounded half up; none when that row has no price.
      await sql.query(`CREATE TABLE costs AS SELECT p.code, IF(p.cents > 0, FLOOR((p.cents * 60 + 50) / 100), NULL) AS cost
        FROM product_rows p JOIN (SELECT code, MIN(id) AS id FROM product_rows GROUP BY code) f ON f.id = p.id`);
      await sql.query(`CREATE TABLE classified AS SELECT p.*, c.cost, CASE
          WHEN p.invoice LIKE 'C%' THEN 'return'
          WHEN p.quantity > 0 AND (p.cents > 0 OR p.customer <> '') THEN 'sale'
          ELSE 'adjustment' END AS kind
        FROM product_rows p JOIN costs c ON c.code = p.code`);
      // An invoice of more than 500 sale lines (the wire limit) is sent as one order per 500 lines.
      await sql.query(`CREATE TABLE facts AS SELECT code AS sku, country AS source, 'main' AS location,
          ${MS.replace('%s', 'at')} AS at_ms, kind,
          CONCAT(invoice, '#', (ROW_NUMBER() OVER (PARTITION BY invoice, kind ORDER BY id) - 1) DIV 500) AS order_key,
          IF(kind = 'sale', quantity, -ABS(quantity)) AS units,
          IF(kind = 'sale', quantity, -ABS(quantity)) * cents AS revenue,
          IF(kind = 'sale', quantity, -ABS(quantity)) * COALESCE(cost, 0) AS cogs
        FROM classified WHERE kind <> 'adjustment'`);
      await sql.query(`CREATE TABLE expected_stock AS SELECT code AS sku, 'main' AS location,
          ${OPENING_STOCK} + SUM(CASE kind WHEN 'sale' THEN -quantity WHEN 'return' THEN ABS(quantity) ELSE quantity END) AS on_hand,
          MAX(cost) AS cost
        FROM classified GROUP BY code`);

      const { summary, compared, skus } = await replayAndCompare(cluster, sql, files, 'online-retail');
      const [{ row_count: rowCount }] = await sql.query('SELECT COUNT(*) AS row_count FROM raw_rows');
      expect(summary.rowsRead).toBe(Number(rowCount) + files.length);
      expect(summary.rejected.non_product_code).toBeGreaterThan(0);
      expect(compared).toBeGreaterThan(100);
      expect(skus).toBeGreaterThan(2_000);
    });
  });

  describe('Café branches, all 18 stores, on 8 shards', () => {
    let cluster: IngestCluster;
    let sql: QueryRunner;

    beforeAll(async () => {
      cluster = await startCluster(8);
      sql = await scratchDatabase(cluster);
    });

    afterAll(async () => {
      await sql?.query(`DROP DATABASE IF EXISTS \`${cluster.config.database.name}_oracle\``);
      await sql?.release();
      await cluster?.stop();
    });

    it('matches every stock and window figure exactly', async () => {
      const files = listReplayFiles(join(DATASETS, 'cafe/branches'), 'cafe');
      // Names, payment and card numbers go to user variables and are never stored.
      await sql.query(`CREATE TABLE raw_rows (id INT AUTO_INCREMENT PRIMARY KEY, ts_text VARCHAR(32), store VARCHAR(64),
        basket TEXT, total DECIMAL(10,2)) COLLATE utf8mb4_bin`);
      for (const file of files) {
        await sql.query(
          `LOAD DATA INFILE ? INTO TABLE raw_rows CHARACTER SET utf8mb4 FIELDS TERMINATED BY ','
           OPTIONALLY ENCLOSED BY '"' LINES TERMINATED BY '\\n' (ts_text, store, @name, basket, total, @payment, @card)`,
          [file],
        );
      }
      await sql.query(`CREATE TABLE items AS WITH RECURSIVE split AS (
          SELECT id, store, ts_text, TRIM(SUBSTRING_INDEX(basket, ',', 1)) AS item,
            IF(LOCATE(',', basket) > 0, SUBSTRING(basket, LOCATE(',', basket) + 1), '') AS rest FROM raw_rows
          UNION ALL
          SELECT id, store, ts_text, TRIM(SUBSTRING_INDEX(rest, ',', 1)),
            IF(LOCATE(',', rest) > 0, SUBSTRING(rest, LOCATE(',', rest) + 1), '') FROM split WHERE rest <> '')
        SELECT id, store, STR_TO_DATE(ts_text, '%d/%m/%Y %H:%i') AS at,
          ROUND(SUBSTRING_INDEX(item, ' - ', -1) * 100) AS cents,
          TRIM(BOTH '-' FROM LOWER(REGEXP_REPLACE(LEFT(item, CHAR_LENGTH(item) - CHAR_LENGTH(SUBSTRING_INDEX(item, ' - ', -1)) - 3),
            '[^A-Za-z0-9]+', '-'))) AS sku
        FROM split`);
      await sql.query(`CREATE TABLE facts AS SELECT sku, store AS source, store AS location, ${MS.replace('%s', 'at')} AS at_ms,
          'sale' AS kind, id AS order_key, 1 AS units, cents AS revenue, FLOOR((cents * 60 + 50) / 100) AS cogs FROM items`);
      await sql.query(`CREATE TABLE expected_stock AS SELECT sku, store AS location, ${OPENING_STOCK} - COUNT(*) AS on_hand,
          MAX(FLOOR((cents * 60 + 50) / 100)) AS cost FROM items GROUP BY store, sku`);

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

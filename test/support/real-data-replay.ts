import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { WireEvent } from '@stockwall/contracts';
import { partitionKeyOf } from '@stockwall/ingest';
import type { QueryRunner } from 'typeorm';
import { runReplay, ReplaySummary } from '../../apps/cli/src/replay/replay-runner';
import { IngestCluster } from './ingest-cluster';
import { eventually } from './test-stack';

/**
 * Replaying the real datasets through Kinesis, workers, Redis and MySQL, and loading the same raw
 * CSV rows into MariaDB (LOAD DATA INFILE) so tests can check what the system computed against SQL
 * that never passes through the replay's parsers or the aggregation code.
 */
export const OPENING_STOCK = 100;
export const REORDER_POINT = 10;
/** Epoch milliseconds of a DATETIME column, in SQL. */
export const MS = "TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', %s) * 1000";

/**
 * Replays the files day by day (UTC), the day's new SKUs first, each part drained from every shard
 * before the next (see putAndDrain); with `killWorkerHalfway`, a worker is SIGKILLed halfway and
 * replaced a few seconds later.
 */
export async function replayDayByDay(
  cluster: IngestCluster,
  files: string[],
  format: 'online-retail' | 'cafe',
  options: { killWorkerHalfway: boolean },
): Promise<ReplaySummary> {
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
    if (options.killWorkerHalfway && index === Math.floor(ordered.length / 2)) {
      // SIGKILL a worker with batches in flight; a new one joins a few seconds later.
      const [victim] = cluster.runningWorkers();
      await victim.kill('SIGKILL');
      setTimeout(() => cluster.startWorker(), 3_000);
    }
    await putAndDrain(cluster, part.catalog);
    await putAndDrain(cluster, part.rest);
  }
  return summary;
}

/** Waits until MySQL holds every event sent. */
export async function waitUntilPersisted(cluster: IngestCluster, summary: ReplaySummary): Promise<void> {
  const data = cluster.infrastructure.dataSource;
  await eventually(
    async () => {
      const [{ count }] = await data.query('SELECT COUNT(*) AS count FROM inventory_events');
      return Number(count) === summary.eventsSent ? true : undefined;
    },
    420_000,
    `${summary.eventsSent} events in MySQL`,
  );
}

/** The event time a wire event carries (`occurred_at`, else its product's timestamp). */
export function eventTime(event: WireEvent): number {
  const time = ('occurred_at' in event && event.occurred_at) || ('product' in event && event.product.timestamp);
  return Date.parse(String(time));
}

/**
 * Puts the events and waits until every shard's checkpoint covers what was put on it: the events
 * are applied live. Events of one UTC day put after the previous day is drained are never later
 * than the allowed lateness (a day in these tests) behind the watermark, on any number of shards.
 */
export async function putAndDrain(cluster: IngestCluster, events: WireEvent[]): Promise<void> {
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

export async function scratchDatabase(cluster: IngestCluster): Promise<QueryRunner> {
  const runner = cluster.infrastructure.dataSource.createQueryRunner();
  await runner.connect();
  await runner.query(`CREATE DATABASE \`${cluster.config.database.name}_oracle\` COLLATE utf8mb4_bin`);
  await runner.query(`USE \`${cluster.config.database.name}_oracle\``);
  return runner;
}

/** A stream of `shards` shards read by three worker processes, all leasing before anything is sent. */
export async function startCluster(shards: number, env: Record<string, string> = {}): Promise<IngestCluster> {
  // A day of lateness: see putAndDrain.
  const cluster = await IngestCluster.start({ shards, env: { ALLOWED_LATENESS_SECONDS: '86400', ...env } });
  for (let index = 0; index < 3; index++) cluster.startWorker();
  await eventually(
    async () => ((await cluster.leaseOwners()).size === shards ? true : undefined),
    60_000,
    `${shards} shards leased`,
  );
  return cluster;
}

/**
 * UCI Online Retail rows in MariaDB: `raw_rows`, `product_rows`, `costs`, `classified` (sale, return
 * or adjustment), `facts` (sales and returns with units, revenue and COGS in cents) and `expected_stock`.
 */
export async function loadOnlineRetailOracle(sql: QueryRunner, files: string[]): Promise<void> {
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
}

/** Café branch rows in MariaDB: `raw_rows`, `items` (one per basket item), `facts` and `expected_stock`. */
export async function loadCafeOracle(sql: QueryRunner, files: string[]): Promise<void> {
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
}

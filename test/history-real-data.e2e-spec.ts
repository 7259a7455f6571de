import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatCents } from '@stockwall/contracts';
import { AnalyticsRepository, HistoryRepository, type KpiHistoryBucket } from '@stockwall/persistence';
import type { QueryRunner } from 'typeorm';
import { KpiHistoryReader } from '../apps/api/src/history/kpi-history.reader';
import { ReportsService } from '../apps/api/src/reports/reports.service';
import { listReplayFiles } from '../apps/cli/src/replay/replay-source';
import { DATASETS_DIR } from './support/datasets';
import { IngestCluster } from './support/ingest-cluster';
import {
  loadCafeOracle,
  loadOnlineRetailOracle,
  MS,
  OPENING_STOCK,
  replayDayByDay,
  scratchDatabase,
  startCluster,
  waitUntilPersisted,
} from './support/real-data-replay';

/**
 * Replays a month of UCI Online Retail and every café branch through Kinesis, three workers, Redis
 * and MySQL, then checks every figure of `kpis/history` per day (UTC and Europe/London) against SQL
 * run by MariaDB over the raw CSV rows: sales to the cent, average inventory value, turnover and the
 * time-weighted stockout rate from each SKU's stock replayed in SQL, new and returning customers and
 * the RFM segments from the rows' customer ids. Hours add up to days and days to the month.
 *
 * London's offset is written here, not looked up: January 2011 is GMT (+0), August and September
 * 2021 are BST (+1). The API computes its buckets from the IANA zone.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SALT = 'history-real-data-test-salt-01';
const rate = (numerator: number, denominator: number) => Math.round((numerator / denominator) * 1e6) / 1e6;
const halfUp = (numerator: bigint, denominator: bigint) => (numerator * 2n + denominator) / (denominator * 2n);

interface Period {
  from: number;
  to: number;
  /** London's offset from UTC over the period, in ms. */
  londonOffset: number;
}

/** The day buckets of a period in a fixed offset, as a table of the oracle database. */
async function dayBuckets(sql: QueryRunner, period: Period, offset: number): Promise<number[]> {
  const starts: number[] = [];
  for (let start = period.from - offset; start < period.to - offset; start += DAY) starts.push(start);
  await sql.query('DROP TABLE IF EXISTS buckets');
  await sql.query('CREATE TABLE buckets (start_ms BIGINT PRIMARY KEY, end_ms BIGINT NOT NULL)');
  await sql.query('INSERT INTO buckets (start_ms, end_ms) VALUES ?', [starts.map((start) => [start, start + DAY])]);
  return starts;
}

/**
 * What SQL says each day holds. `facts` are the sales and returns (see the oracle loaders), `steps` each
 * SKU's stock from each instant it changed, `sales_customers` each sale's customer (Online Retail).
 */
async function expectedDays(sql: QueryRunner, horizon: number, withCustomers: boolean) {
  const sales = await sql.query(
    `SELECT b.start_ms, COUNT(DISTINCT CASE WHEN f.kind = 'sale' THEN f.order_key END) AS orders,
       COALESCE(SUM(f.units), 0) AS units, COALESCE(SUM(f.revenue), 0) AS revenue, COALESCE(SUM(f.cogs), 0) AS cogs
     FROM buckets b LEFT JOIN facts f ON f.at_ms >= b.start_ms AND f.at_ms < b.end_ms
     GROUP BY b.start_ms ORDER BY b.start_ms`,
  );
  const stock = await sql.query(
    `SELECT b.start_ms,
       COALESCE(SUM(GREATEST(s.on_hand, 0) * COALESCE(s.cost, 0) * s.overlap), 0) AS value,
       COALESCE(SUM(CASE WHEN s.on_hand <= 0 THEN s.overlap ELSE 0 END), 0) AS out_ms,
       COALESCE(SUM(s.overlap), 0) AS active_ms
     FROM buckets b LEFT JOIN (
       SELECT b2.start_ms, st.on_hand, st.cost,
         LEAST(COALESCE(st.next_ms, ?), b2.end_ms) - GREATEST(st.at_ms, b2.start_ms) AS overlap
       FROM buckets b2 JOIN steps st ON st.at_ms < b2.end_ms AND COALESCE(st.next_ms, ?) > b2.start_ms
     ) s ON s.start_ms = b.start_ms
     GROUP BY b.start_ms ORDER BY b.start_ms`,
    [horizon, horizon],
  );
  const customers = withCustomers
    ? await sql.query(
        `SELECT b.start_ms,
           COUNT(DISTINCT CASE WHEN first.first_ms >= b.start_ms THEN s.customer END) AS new_customers,
           COUNT(DISTINCT CASE WHEN first.first_ms < b.start_ms THEN s.customer END) AS returning_customers
         FROM buckets b
         LEFT JOIN sales_customers s ON s.at_ms >= b.start_ms AND s.at_ms < b.end_ms
         LEFT JOIN (SELECT customer, MIN(at_ms) AS first_ms FROM sales_customers GROUP BY customer) first
           ON first.customer = s.customer
         GROUP BY b.start_ms ORDER BY b.start_ms`,
      )
    : null;
  return sales.map((row: any, index: number) => {
    const orders = Number(row.orders);
    const revenue = Number(row.revenue);
    const cogs = Number(row.cogs);
    const value = BigInt(stock[index].value);
    const averageCents = halfUp(value, BigInt(DAY));
    const activeMs = Number(stock[index].active_ms);
    return {
      from: new Date(Number(row.start_ms)).toISOString(),
      orders,
      units: Number(row.units),
      revenue: formatCents(revenue),
      // Half away from zero, like the live windows (revenue can be negative on a day of returns).
      averageOrderValue: orders > 0 ? formatCents(Math.sign(revenue) * Math.round(Math.abs(revenue) / orders)) : null,
      cogs: formatCents(cogs),
      grossMargin: formatCents(revenue - cogs),
      grossMarginRate: revenue > 0 ? rate(revenue - cogs, revenue) : null,
      cogsToRevenue: revenue > 0 ? rate(cogs, revenue) : null,
      averageInventoryValue: formatCents(Number(averageCents)),
      inventoryTurnover: averageCents > 0n ? rate(cogs, Number(averageCents)) : null,
      stockoutRate: activeMs > 0 ? rate(Number(stock[index].out_ms), activeMs) : null,
      ...(customers
        ? {
            newCustomers: Number(customers[index].new_customers),
            returningCustomers: Number(customers[index].returning_customers),
          }
        : {}),
    };
  });
}

const FIGURES = [
  'from',
  'orders',
  'units',
  'revenue',
  'averageOrderValue',
  'cogs',
  'grossMargin',
  'grossMarginRate',
  'cogsToRevenue',
  'averageInventoryValue',
  'inventoryTurnover',
  'stockoutRate',
  'newCustomers',
  'returningCustomers',
] as const;

const pick = (item: KpiHistoryBucket, keys: readonly string[]) =>
  Object.fromEntries(keys.map((key) => [key, (item as unknown as Record<string, unknown>)[key]]));

/** Compares every day in UTC and in London, and checks hours → days → month for the sales figures. */
async function compareHistory(cluster: IngestCluster, sql: QueryRunner, period: Period, withCustomers: boolean) {
  const reader = new KpiHistoryReader(new AnalyticsRepository(cluster.infrastructure.dataSource));
  const keys = withCustomers ? FIGURES : FIGURES.filter((key) => !key.endsWith('Customers'));
  const scope = { source: null, location: null };
  let days = 0;
  for (const [timeZone, offset] of [
    ['UTC', 0],
    ['Europe/London', period.londonOffset],
  ] as const) {
    const starts = await dayBuckets(sql, period, offset);
    const expected = await expectedDays(sql, period.to - offset, withCustomers);
    const { items } = await reader.series({
      from: period.from - offset,
      to: period.to - offset,
      interval: '1d',
      timeZone,
      scope,
      limit: 10_000,
    });
    expect(items.map((item) => item.from)).toEqual(starts.map((start) => new Date(start).toISOString()));
    for (const [index, item] of items.entries())
      expect({ timeZone, ...pick(item, keys) }).toEqual({ timeZone, ...expected[index] });
    days += items.length;

    const hours = await reader.series({
      ...period,
      from: period.from - offset,
      to: period.to - offset,
      interval: '1h',
      timeZone,
      scope,
      limit: 10_000,
    });
    const month = await reader.series({
      ...period,
      from: period.from - offset,
      to: period.to - offset,
      interval: '1mo',
      timeZone,
      scope,
      limit: 10,
    });
    const cents = (text: string) => Math.round(Number(text) * 100);
    const sum = (list: KpiHistoryBucket[]) =>
      list.reduce(
        (total, item) => ({
          orders: total.orders + item.orders,
          units: total.units + item.units,
          revenue: total.revenue + cents(item.revenue),
          cogs: total.cogs + cents(item.cogs),
        }),
        { orders: 0, units: 0, revenue: 0, cogs: 0 },
      );
    for (const [dayIndex, day] of items.entries()) {
      const start = starts[dayIndex];
      const ofDay = hours.items.filter((hour) => Date.parse(hour.from) >= start && Date.parse(hour.from) < start + DAY);
      expect(ofDay).toHaveLength(24);
      expect({ day: day.from, ...sum(ofDay) }).toEqual({ day: day.from, ...sum([day]) });
    }
    const monthTotal = sum(month.items);
    expect(monthTotal).toEqual(sum(items));
    expect(monthTotal.orders).toBeGreaterThan(500);
  }
  return days;
}

describe('History KPIs after a replay of real data, checked against SQL over the raw rows', () => {
  jest.setTimeout(900_000);

  describe('UCI Online Retail, January 2011, on 4 shards', () => {
    let cluster: IngestCluster;
    let sql: QueryRunner;

    beforeAll(async () => {
      cluster = await startCluster(4, { CUSTOMER_HASH_SALT: SALT });
      sql = await scratchDatabase(cluster);
    });

    afterAll(async () => {
      await sql?.query(`DROP DATABASE IF EXISTS \`${cluster.config.database.name}_oracle\``);
      await sql?.release();
      await cluster?.stop();
    });

    it('matches every figure per day in UTC and London, and the customer segments', async () => {
      const directory = join(DATASETS_DIR, 'online-retail/by-day');
      const files = readdirSync(directory)
        .filter((name) => name.startsWith('2011-01-'))
        .sort()
        .map((name) => join(directory, name));
      await loadOnlineRetailOracle(sql, files);
      // Each SKU's stock from each instant it changed: the opening stock, then every row's effect.
      await sql.query(`CREATE TABLE moves AS SELECT c.code AS sku, ${MS.replace('%s', 'c.at')} AS at_ms,
          SUM(CASE c.kind WHEN 'sale' THEN -c.quantity WHEN 'return' THEN ABS(c.quantity) ELSE c.quantity END) AS delta,
          MAX(c.cost) AS cost
        FROM classified c GROUP BY c.code, c.at`);
      await sql.query(`CREATE TABLE steps AS SELECT sku, at_ms, cost,
          ${OPENING_STOCK} + SUM(delta) OVER (PARTITION BY sku ORDER BY at_ms) AS on_hand,
          LEAD(at_ms) OVER (PARTITION BY sku ORDER BY at_ms) AS next_ms
        FROM moves`);
      // Each order (an invoice's sales, 500 lines per order) of a known customer: the id as the CSV has it
      // without a trailing .0, its time and its revenue.
      await sql.query(`CREATE TABLE sales_customers AS SELECT order_key, MAX(customer) AS customer,
          MAX(at_ms) AS at_ms, SUM(quantity * cents) AS revenue
        FROM (SELECT CONCAT(invoice, '#', (ROW_NUMBER() OVER (PARTITION BY invoice ORDER BY id) - 1) DIV 500) AS order_key,
            REGEXP_REPLACE(customer, '\\\\.0$', '') AS customer, ${MS.replace('%s', 'at')} AS at_ms, quantity, cents
          FROM classified WHERE kind = 'sale') sales
        WHERE customer <> '' GROUP BY order_key`);

      const summary = await replayDayByDay(cluster, files, 'online-retail', { killWorkerHalfway: false });
      await waitUntilPersisted(cluster, summary);
      const period = { from: Date.UTC(2011, 0, 1), to: Date.UTC(2011, 1, 1), londonOffset: 0 };
      expect(await compareHistory(cluster, sql, period, true)).toBe(62);

      // RFM over the month: the same scores from SQL's RANK() over the raw rows' customers.
      const data = cluster.infrastructure.dataSource;
      const reports = new ReportsService(new HistoryRepository(data), new AnalyticsRepository(data));
      const segments = await reports.customerSegments({ ...period, tz: 'UTC' });
      const [{ customers: customerCount }] = await sql.query(
        'SELECT COUNT(DISTINCT customer) AS customers FROM sales_customers',
      );
      expect(segments.customers).toBe(Number(customerCount));
      const expected = await sql.query(
        `WITH figures AS (
           SELECT customer, MAX(at_ms) AS last_ms, COUNT(*) AS orders, SUM(revenue) AS revenue
           FROM sales_customers GROUP BY customer),
         scored AS (
           SELECT customer, revenue,
             1 + FLOOR(5 * (RANK() OVER (ORDER BY last_ms) - 1) / COUNT(*) OVER ()) AS r,
             1 + FLOOR(5 * (RANK() OVER (ORDER BY orders) - 1) / COUNT(*) OVER ()) AS f,
             1 + FLOOR(5 * (RANK() OVER (ORDER BY revenue) - 1) / COUNT(*) OVER ()) AS m
           FROM figures)
         SELECT CASE
             WHEN r >= 4 AND f >= 4 THEN 'champions'
             WHEN f >= 4 THEN IF(r >= 3, 'loyal', 'at-risk')
             WHEN m >= 4 THEN IF(r >= 3, 'big-spenders', 'at-risk')
             WHEN r >= 4 THEN 'promising'
             WHEN r <= 2 THEN 'hibernating'
             ELSE 'needs-attention' END AS segment,
           COUNT(*) AS customers, SUM(revenue) AS revenue, SUM(m = 5) AS high_value,
           SUM(IF(m = 5, revenue, 0)) AS high_value_revenue
         FROM scored GROUP BY segment`,
      );
      const bySegment = Object.fromEntries(
        expected.map((row: any) => [row.segment, [Number(row.customers), formatCents(Number(row.revenue))]]),
      );
      const actual = Object.fromEntries(
        segments.items
          .filter((item) => item.customers > 0)
          .map((item) => [item.segment, [item.customers, item.revenue]]),
      );
      expect(actual).toEqual(bySegment);
      const highValue = expected.reduce(
        (total: { customers: number; revenue: number }, row: any) => ({
          customers: total.customers + Number(row.high_value),
          revenue: total.revenue + Number(row.high_value_revenue),
        }),
        { customers: 0, revenue: 0 },
      );
      expect(segments.highValue).toMatchObject({
        customers: highValue.customers,
        revenue: formatCents(highValue.revenue),
      });
      expect(highValue.customers).toBeGreaterThan(100);
    });
  });

  describe('Café branches, all 18 stores, on 8 shards', () => {
    let cluster: IngestCluster;
    let sql: QueryRunner;

    beforeAll(async () => {
      cluster = await startCluster(8, { CUSTOMER_HASH_SALT: SALT });
      sql = await scratchDatabase(cluster);
    });

    afterAll(async () => {
      await sql?.query(`DROP DATABASE IF EXISTS \`${cluster.config.database.name}_oracle\``);
      await sql?.release();
      await cluster?.stop();
    });

    it('matches every figure per day in UTC and London (BST)', async () => {
      const files = listReplayFiles(join(DATASETS_DIR, 'cafe/branches'), 'cafe');
      await loadCafeOracle(sql, files);
      await sql.query(`CREATE TABLE moves AS SELECT CONCAT(store, '/', sku) AS sku, ${MS.replace('%s', 'at')} AS at_ms,
          -COUNT(*) AS delta, MAX(FLOOR((cents * 60 + 50) / 100)) AS cost
        FROM items GROUP BY store, sku, at`);
      await sql.query(`CREATE TABLE steps AS SELECT sku, at_ms,
          MAX(cost) OVER (PARTITION BY sku) AS cost,
          ${OPENING_STOCK} + SUM(delta) OVER (PARTITION BY sku ORDER BY at_ms) AS on_hand,
          LEAD(at_ms) OVER (PARTITION BY sku ORDER BY at_ms) AS next_ms
        FROM moves`);

      const summary = await replayDayByDay(cluster, files, 'cafe', { killWorkerHalfway: false });
      await waitUntilPersisted(cluster, summary);
      const period = { from: Date.UTC(2021, 7, 24), to: Date.UTC(2021, 8, 11), londonOffset: HOUR };
      expect(await compareHistory(cluster, sql, period, false)).toBe(36);
    });
  });
});

import type { DataSource } from 'typeorm';
import { AnalyticsRepository, ReportsRepository } from '@stockwall/persistence';

const DAY_MS = 86_400_000;

/** Kills every statement running on the bench database but this connection's (after a timed-out request). */
export async function killRunning(dataSource: DataSource): Promise<void> {
  const running = await dataSource.query<{ ID: string }[]>(
    `SELECT ID FROM information_schema.PROCESSLIST
     WHERE DB = DATABASE() AND COMMAND = 'Query' AND ID <> CONNECTION_ID()`,
  );
  for (const { ID } of running) await dataSource.query(`KILL QUERY ${Number(ID)}`).catch(() => undefined);
}

/** Which index each table of a query's plan reads, from EXPLAIN FORMAT=JSON. */
async function plan(dataSource: DataSource, label: string, sql: string, parameters: unknown[]): Promise<void> {
  const [row] = await dataSource.query<{ EXPLAIN: string }[]>(`EXPLAIN FORMAT=JSON ${sql}`, parameters);
  const tables: string[] = [];
  JSON.stringify(JSON.parse(row.EXPLAIN), (key, value: unknown) => {
    if (key === 'table' && value && typeof value === 'object') {
      const table = value as Record<string, unknown>;
      tables.push(
        `${String(table.table_name)}: access_type=${String(table.access_type)} key=${String(table.key)} ` +
          `key_length=${String(table.key_length)} rows=${String(table.rows)} used_key_parts=${JSON.stringify(table.used_key_parts)}`,
      );
    }
    return value;
  });
  console.log(`  plan ${label}: ${tables.join(' | ')}`);
}

/** Wall time of one repository read, and how many rows or entries it returned. */
async function timed(
  dataSource: DataSource,
  timeoutMs: number,
  label: string,
  read: () => Promise<{ length?: number; size?: number }>,
): Promise<void> {
  const started = process.hrtime.bigint();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  const result = await Promise.race([read(), timeout]);
  clearTimeout(timer);
  if (result === null) {
    await killRunning(dataSource);
    console.log(`  read ${label}: not done in ${timeoutMs / 1000} s (killed)`);
    return;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`  read ${label}: ${ms.toFixed(1)} ms, ${result.length ?? result.size ?? 0} rows`);
}

/**
 * Each read behind the routes once, timed, and the plan of the statements they run (EXPLAIN
 * FORMAT=JSON): which index each table is read by and how many rows MariaDB expects.
 */
export async function profile(dataSource: DataSource, timeoutMs: number, start: number): Promise<void> {
  const from = new Date(start + DAY_MS);
  const to = new Date(start + 31 * DAY_MS);
  const bucket = (column: string) => `FLOOR(TIMESTAMPDIFF(MINUTE, '1970-01-01 00:00:00', ${column}) / ?) AS bucket`;
  const sums = 'SUM(events), SUM(orders), SUM(units), SUM(revenue_cents), SUM(shipped), SUM(cogs_cents)';
  await plan(
    dataSource,
    'kpi_hour 30 d',
    `SELECT ${bucket('hour_at')}, ${sums} FROM kpi_hour WHERE hour_at >= ? AND hour_at < ? GROUP BY bucket`,
    [60, from, to],
  );
  await plan(
    dataSource,
    'kpi_minute 24 h',
    `SELECT ${bucket('minute_at')}, ${sums} FROM kpi_minute WHERE minute_at >= ? AND minute_at < ? GROUP BY bucket`,
    [1, from, new Date(from.getTime() + DAY_MS)],
  );
  await plan(
    dataSource,
    'product lines',
    `SELECT id, event_id, occurred_at, on_hand_after FROM inventory_event_lines
     WHERE sku = ? AND occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at, id LIMIT 500`,
    ['SKU-00042', from, new Date(from.getTime() + 7 * DAY_MS)],
  );
  await plan(
    dataSource,
    'product snapshots',
    `SELECT taken_at, location, on_hand, committed FROM stock_snapshots
     WHERE sku = ? AND taken_at >= ? AND taken_at < ? ORDER BY taken_at, location LIMIT 500`,
    ['SKU-00042', from, new Date(from.getTime() + 7 * DAY_MS)],
  );
  await plan(
    dataSource,
    'customer orders',
    `SELECT customer_hash, occurred_at, revenue_cents FROM customer_orders WHERE occurred_at >= ? AND occurred_at < ?`,
    [from, to],
  );
  await plan(
    dataSource,
    'top products',
    `SELECT sku, SUM(units), SUM(revenue_cents) FROM sku_sales_day
     WHERE day_at >= ? AND day_at < ? GROUP BY sku HAVING SUM(sales_lines) > 0`,
    [from, new Date(from.getTime() + 7 * DAY_MS)],
  );
  await plan(
    dataSource,
    'slow-mover movements',
    `SELECT sku, location, SUM(IF(day_at >= ?, shipped, 0)), MAX(last_sale_at) FROM sku_sales_day WHERE day_at < ?
     GROUP BY sku, location`,
    [new Date(to.getTime() - 7 * DAY_MS), to],
  );
  await plan(
    dataSource,
    'suppliers',
    'SELECT sku, location, supplier_id FROM stock_levels WHERE supplier_id IS NOT NULL',
    [],
  );
  const analytics = new AnalyticsRepository(dataSource);
  const reports = new ReportsRepository(dataSource);
  const range = { from: from.getTime(), to: to.getTime() };
  const scope = { source: null, location: null };
  await timed(dataSource, timeoutMs, 'salesPerRollup 30 d hourly', () => analytics.salesPerRollup(range, scope, true));
  await timed(dataSource, timeoutMs, 'customerOrders 30 d', () => analytics.customerOrders(range, scope));
  await timed(dataSource, timeoutMs, 'firstOrders 30 d', () => analytics.firstOrders(range, scope));
  await timed(dataSource, timeoutMs, 'stockSteps 30 d', () => analytics.stockSteps(range, null));
  const day = { from: start + 15 * DAY_MS, to: start + 16 * DAY_MS };
  await timed(dataSource, timeoutMs, 'customerOrders 1 d', () => analytics.customerOrders(day, scope));
  await timed(dataSource, timeoutMs, 'firstOrders 1 d', () => analytics.firstOrders(day, scope));
  await timed(dataSource, timeoutMs, 'stockSteps 1 d', () => analytics.stockSteps(day, null));
  await timed(dataSource, timeoutMs, 'stockSteps opening at day 15 12:00', () =>
    analytics.stockSteps({ from: day.from + DAY_MS / 2, to: day.from + DAY_MS / 2 }, null),
  );
  await timed(dataSource, timeoutMs, 'catalogChanges up to 31 d', () => analytics.catalogChanges(range.to, null));
  await timed(dataSource, timeoutMs, 'snapshotsAt day 15', () => reports.snapshotsAt(start + 15 * DAY_MS, null));
  await timed(dataSource, timeoutMs, 'currentStock', () => reports.currentStock(null));
  await timed(dataSource, timeoutMs, 'movements 7 d', () =>
    reports.movements({ from: range.to - 7 * DAY_MS, to: range.to }, null),
  );
  await timed(dataSource, timeoutMs, 'suppliers', () => reports.suppliers());
}

import type { AddressInfo } from 'node:net';
import { signAccessToken, openInfrastructure } from '@stockwall/platform';
import type { DataSource } from 'typeorm';
import { createApiApplication } from '../../apps/api/src/api-application';
import { benchConfig } from './bench-config';
import { requireJwtSecret } from '@stockwall/config';
import { BENCH_LOCATIONS, BENCH_SOURCES } from './bench-traffic';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const START = Date.UTC(2025, 0, 1);
const DAYS = 31;
const SKUS = 2_000;
const CHUNK = 250_000;

/** SQL datetime literal of START + `expression` seconds. */
const at = (seconds: string) => `TIMESTAMPADD(MICROSECOND, ${seconds} * 1000000, '2025-01-01 00:00:00')`;

/**
 * Generates `events` events spread evenly over 31 days straight in SQL: inventory_events and one
 * inventory_event_lines row each from MariaDB's seq_1_to_N table (INSERT … SELECT, 250,000 per
 * statement), then kpi_minute grouped from the lines and kpi_hour from kpi_minute, and stock
 * snapshots every 6 hours for every SKU and location.
 */
async function load(dataSource: DataSource, events: number): Promise<void> {
  const spacing = ((DAYS * DAY_MS) / 1000 / events).toFixed(6);
  const locations = `ELT(1 + seq % ${BENCH_LOCATIONS.length}, ${BENCH_LOCATIONS.map((name) => `'${name}'`).join(', ')})`;
  const sources = `ELT(1 + (seq DIV 7) % ${BENCH_SOURCES.length}, ${BENCH_SOURCES.map((name) => `'${name}'`).join(', ')})`;
  const sku = `CONCAT('SKU-', LPAD(1 + (seq * 7919) % ${SKUS}, 5, '0'))`;
  for (let first = 1; first <= events; first += CHUNK) {
    const last = Math.min(events, first + CHUNK - 1);
    const started = Date.now();
    // Auto-increment ids of a bulk INSERT … SELECT can leave gaps: the lines select by the ids after this one.
    const [{ maxId }] = await dataSource.query<{ maxId: string | null }[]>(
      'SELECT MAX(id) AS maxId FROM inventory_events',
    );
    await dataSource.query(
      `INSERT INTO inventory_events (event_id, event_type, stream_name, shard_id, sequence_number, sub_sequence,
         occurred_at, location, source, sku, order_id, payload)
       SELECT CONCAT('ev-', seq), 'order_fulfilled', 'bench', 'shardId-000000000000', seq, 0, ${at(`seq * ${spacing}`)},
         ${locations}, ${sources}, ${sku}, CONCAT('ORD-', seq), '{}'
       FROM seq_${first}_to_${last}`,
    );
    await dataSource.query(
      `INSERT INTO inventory_event_lines (event_id, line_no, event_type, occurred_at, minute_at, source, location, sku,
         orders, units, revenue_cents, shipped, cogs_cents, on_hand_after, committed_after)
       SELECT event_id, 0, event_type, occurred_at, TIMESTAMPADD(SECOND, -SECOND(occurred_at), DATE_FORMAT(occurred_at,
         '%Y-%m-%d %H:%i:%s')), source, location, sku, 1, 1 + sequence_number % 3, 250 * (1 + sequence_number % 3),
         1 + sequence_number % 3, 110 * (1 + sequence_number % 3), 100 + sequence_number % 50, sequence_number % 5
       FROM inventory_events WHERE id > ?`,
      [maxId ?? 0],
    );
    console.log(`  loaded events ${first}–${last} (${Date.now() - started} ms)`);
  }
  await dataSource.query(
    `INSERT INTO kpi_minute (minute_at, source, location, events, orders, units, revenue_cents, shipped, cogs_cents)
     SELECT minute_at, source, location, SUM(line_no = 0), SUM(orders), SUM(units), SUM(revenue_cents), SUM(shipped),
       SUM(cogs_cents) FROM inventory_event_lines GROUP BY minute_at, source, location`,
  );
  await dataSource.query(
    `INSERT INTO kpi_hour (hour_at, source, location, events, orders, units, revenue_cents, shipped, cogs_cents)
     SELECT DATE_FORMAT(minute_at, '%Y-%m-%d %H:00:00'), source, location, SUM(events), SUM(orders), SUM(units),
       SUM(revenue_cents), SUM(shipped), SUM(cogs_cents) FROM kpi_minute GROUP BY 1, source, location`,
  );
  await dataSource.query(
    `INSERT INTO stock_snapshots (taken_at, sku, location, on_hand, committed, unit_cost_cents, active)
     SELECT ${at(`ticks.seq * 21600`)}, CONCAT('SKU-', LPAD(skus.seq, 5, '0')), ELT(1 + locations.seq, ${BENCH_LOCATIONS.map(
       (name) => `'${name}'`,
     ).join(', ')}), 100, 5, 110, 1
     FROM seq_0_to_${DAYS * 4 - 1} ticks, seq_1_to_${SKUS} skus, seq_0_to_${BENCH_LOCATIONS.length - 1} locations`,
  );
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

async function measure(
  baseUrl: string,
  token: string,
  requests: number,
  path: (index: number) => string,
): Promise<{ p50: number; p95: number; p99: number; max: number; rows: number }> {
  const get = async (index: number) => {
    const response = await fetch(`${baseUrl}${path(index)}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { items?: unknown[]; events?: unknown[] };
    if (response.status !== 200) throw new Error(`${path(index)} answered ${response.status}: ${JSON.stringify(body)}`);
    return body;
  };
  for (let index = 0; index < 20; index++) await get(index + requests);
  const times: number[] = [];
  let rows = 0;
  for (let index = 0; index < requests; index++) {
    const started = process.hrtime.bigint();
    const body = await get(index);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    rows = Math.max(rows, (body.items ?? body.events ?? []).length);
  }
  times.sort((left, right) => left - right);
  return {
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    p99: percentile(times, 0.99),
    max: times[times.length - 1],
    rows,
  };
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

export async function queryLatency(
  kinesisEndpoint: string,
  options: { events: number; requests: number; keep: boolean },
): Promise<void> {
  const database = 'stockwall_bench_history';
  const config = benchConfig(kinesisEndpoint, database);
  const infrastructure = await openInfrastructure(config);
  const { dataSource } = infrastructure;
  const app = await createApiApplication(infrastructure);
  try {
    const [{ loaded }] = await dataSource.query<{ loaded: string }[]>(
      'SELECT COUNT(*) AS loaded FROM inventory_events',
    );
    if (Number(loaded) !== options.events) {
      if (Number(loaded) > 0) throw new Error(`${database} holds ${loaded} events: drop it first`);
      const started = Date.now();
      await load(dataSource, options.events);
      console.log(`loaded ${options.events} events in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    } else {
      console.log(`reusing ${database} with ${loaded} events`);
    }
    for (const table of ['inventory_events', 'inventory_event_lines', 'kpi_minute', 'kpi_hour', 'stock_snapshots']) {
      const [{ count }] = await dataSource.query<{ count: string }[]>(`SELECT COUNT(*) AS count FROM ${table}`);
      console.log(`  ${table}: ${Number(count).toLocaleString('en-US')} rows`);
    }
    await app.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const token = signAccessToken(requireJwtSecret(config), { sub: 'bench-viewer', role: 'viewer' }, '1h');
    const iso = (ms: number) => new Date(ms).toISOString();
    // Each request a different window or SKU, so no two requests read the same rows back to back.
    const scenarios: [string, (index: number) => string][] = [
      [
        'GET /api/v1/kpis/history 30 days @1h',
        (index) => {
          const from = START + (index % 24) * HOUR_MS;
          return `/api/v1/kpis/history?from=${iso(from)}&to=${iso(from + 30 * DAY_MS)}&interval=1h`;
        },
      ],
      [
        'GET /api/v1/kpis/history 24 h @1m',
        (index) => {
          const from = START + ((index * 7919) % (30 * 24 * 60)) * 60_000;
          return `/api/v1/kpis/history?from=${iso(from)}&to=${iso(from + DAY_MS)}&interval=1m`;
        },
      ],
      [
        'GET /api/v1/products/:sku/history 7 days',
        (index) => {
          const sku = `SKU-${String(1 + ((index * 37) % SKUS)).padStart(5, '0')}`;
          const from = START + (index % 24) * DAY_MS;
          return `/api/v1/products/${sku}/history?from=${iso(from)}&to=${iso(from + 7 * DAY_MS)}`;
        },
      ],
    ];
    for (const [label, path] of scenarios) {
      const figures = await measure(baseUrl, token, options.requests, path);
      console.log(
        `${label}: p50 ${figures.p50.toFixed(1)} ms, p95 ${figures.p95.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms, ` +
          `max ${figures.max.toFixed(1)} ms over ${options.requests} requests (${figures.rows} rows per answer)`,
      );
    }
    const from = new Date(START + DAY_MS);
    const to = new Date(START + 31 * DAY_MS);
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
  } finally {
    await app.close();
    if (!options.keep) await dataSource.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await infrastructure.close();
  }
}

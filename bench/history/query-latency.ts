import type { AddressInfo } from 'node:net';
import { signAccessToken, openInfrastructure } from '@stockwall/platform';
import type { DataSource } from 'typeorm';
import { createApiApplication } from '../../apps/api/src/api-application';
import { benchConfig } from './bench-config';
import { requireJwtSecret } from '@stockwall/config';
import { refillSummaries } from '@stockwall/persistence';
import { BENCH_LOCATIONS, BENCH_SOURCES } from './bench-traffic';
import { BENCH_CUSTOMERS, dropForecasts, loadCatalog, loadForecasts } from './analytics-data';
import { reportMeasure, reportSeries, thin } from '../suite/bench-results';
import { killRunning, profile } from './query-profile';

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
 * statement; every other event an `order_placed` of one of 250,000 customers, by salted-hash-like
 * MD5, with its line's quantity and price in the payload as the worker stores them), then kpi_minute
 * grouped from the lines and kpi_hour from kpi_minute, stock snapshots every 6 hours for every SKU
 * and location, and the catalog (definitions, weekly restocks naming a supplier, stock levels).
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
       SELECT CONCAT('ev-', seq), IF(seq % 2 = 1, 'order_placed', 'order_fulfilled'), 'bench', 'shardId-000000000000',
         seq, 0, ${at(`seq * ${spacing}`)}, ${locations}, ${sources}, ${sku}, CONCAT('ORD-', seq),
         IF(seq % 2 = 1, JSON_OBJECT('customerHash', MD5(CONCAT('customer-', (seq * 7919) % ${BENCH_CUSTOMERS})),
           'lines', JSON_ARRAY(JSON_OBJECT('sku', ${sku}, 'quantity', 1 + seq % 3, 'unitPriceCents', 250))), '{}')
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
  await loadCatalog(dataSource, SKUS, DAYS);
  // What the persist path keeps beside the rows (per-day SKU sales, suppliers, customer orders, stock effects).
  await refillSummaries(dataSource);
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

interface Figures {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  rows: number;
  requests: number;
  latencies: number[];
  /** The first request did not answer within the timeout (its statements were killed). */
  timedOut: boolean;
}

/**
 * A first request (the route's warm-up) that must answer within `timeoutMs`, else the route is
 * reported as timed out and its statements are killed; then up to 19 more warm-up requests (at most
 * ~10 s of them) and up to `requests` timed ones, one at a time, body read included, stopping after
 * `budgetMs` once at least 5 are timed.
 */
async function measure(
  dataSource: DataSource,
  baseUrl: string,
  token: string,
  options: { requests: number; budgetMs: number; timeoutMs: number },
  path: (index: number) => string,
): Promise<Figures> {
  const get = async (index: number, timeoutMs?: number) => {
    const response = await fetch(`${baseUrl}${path(index)}`, {
      headers: { authorization: `Bearer ${token}` },
      ...(timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(timeoutMs) }),
    });
    const body = (await response.json()) as { items?: unknown[]; events?: unknown[] };
    if (response.status !== 200) throw new Error(`${path(index)} answered ${response.status}: ${JSON.stringify(body)}`);
    return body;
  };
  let started = Date.now();
  try {
    await get(options.requests, options.timeoutMs);
  } catch (error) {
    if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
    await killRunning(dataSource);
    const over = options.timeoutMs;
    return { p50: over, p95: over, p99: over, max: over, rows: 0, requests: 0, latencies: [], timedOut: true };
  }
  for (let index = 1; index < 20 && Date.now() - started < 10_000; index++) await get(index + options.requests);
  const times: number[] = [];
  let rows = 0;
  started = Date.now();
  for (let index = 0; index < options.requests && (index < 5 || Date.now() - started < options.budgetMs); index++) {
    const begun = process.hrtime.bigint();
    const body = await get(index);
    times.push(Number(process.hrtime.bigint() - begun) / 1e6);
    rows = Math.max(rows, (body.items ?? body.events ?? []).length);
  }
  const sorted = [...times].sort((left, right) => left - right);
  return {
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1],
    rows,
    requests: times.length,
    latencies: times,
    timedOut: false,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const skuName = (index: number) => `SKU-${String(1 + ((index * 37) % SKUS)).padStart(5, '0')}`;

/** Every history and report route, each request a different window, SKU or parameter where that makes sense. */
const SCENARIOS: [string, (index: number) => string][] = [
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
      const from = START + (index % 24) * DAY_MS;
      return `/api/v1/products/${skuName(index)}/history?from=${iso(from)}&to=${iso(from + 7 * DAY_MS)}`;
    },
  ],
  [
    'GET /api/v1/kpis/history 24 days @1d tz=Europe/London',
    (index) => {
      const from = START + (index % 7) * DAY_MS;
      return `/api/v1/kpis/history?from=${iso(from)}&to=${iso(from + 24 * DAY_MS)}&interval=1d&tz=Europe/London`;
    },
  ],
  [
    'GET /api/v1/kpis/history 4 weeks @1w tz=Europe/London',
    (index) => {
      const from = START + (index % 3) * DAY_MS;
      return `/api/v1/kpis/history?from=${iso(from)}&to=${iso(from + 28 * DAY_MS)}&interval=1w&tz=Europe/London`;
    },
  ],
  [
    'GET /api/v1/kpis/history January @1mo tz=Europe/London',
    (index) => {
      const from = START + (index % 10) * DAY_MS;
      return `/api/v1/kpis/history?from=${iso(from)}&to=${iso(START + DAYS * DAY_MS)}&interval=1mo&tz=Europe/London`;
    },
  ],
  [
    'GET /api/v1/reports/top-products 7 days',
    (index) => {
      const from = START + (index % 24) * DAY_MS;
      const by = index % 2 === 0 ? 'units' : 'revenue';
      return `/api/v1/reports/top-products?from=${iso(from)}&to=${iso(from + 7 * DAY_MS)}&by=${by}&limit=20`;
    },
  ],
  [
    'GET /api/v1/reports/sales-by-source 7 days',
    (index) => {
      const from = START + (index % 24) * DAY_MS + (index % 5) * HOUR_MS;
      return `/api/v1/reports/sales-by-source?from=${iso(from)}&to=${iso(from + 7 * DAY_MS)}`;
    },
  ],
  [
    'GET /api/v1/reports/peak-hours 28 days tz=Europe/London',
    (index) => {
      const from = START + (index % 3) * DAY_MS;
      return `/api/v1/reports/peak-hours?from=${iso(from)}&to=${iso(from + 28 * DAY_MS)}&tz=Europe/London`;
    },
  ],
  [
    'GET /api/v1/reports/customer-segments 14 days',
    (index) => {
      const from = START + (index % 17) * DAY_MS;
      return `/api/v1/reports/customer-segments?from=${iso(from)}&to=${iso(from + 14 * DAY_MS)}`;
    },
  ],
  [
    'GET /api/v1/reports/stock-on-date',
    (index) => `/api/v1/reports/stock-on-date?date=${iso(START + ((index * 7919) % (30 * 24 * 60)) * 60_000)}`,
  ],
  [
    'GET /api/v1/reports/slow-movers 7 days',
    (index) => `/api/v1/reports/slow-movers?to=${iso(START + (7 + (index % 24)) * DAY_MS)}&days=7&coverDays=30`,
  ],
  ['GET /api/v1/reports/replenishment', (index) => `/api/v1/reports/replenishment?coverDays=${1 + (index % 30)}`],
];

/** The floor every route is compared with: one hour of sales by source from kpi_minute, same server. */
const BASELINE: [string, (index: number) => string] = [
  'GET /api/v1/reports/sales-by-source 1 hour (one kpi_minute range read)',
  (index) => {
    const from = START + (index % (30 * 24)) * HOUR_MS;
    return `/api/v1/reports/sales-by-source?from=${iso(from)}&to=${iso(from + HOUR_MS)}`;
  },
];

const LIMIT_MS = 100;

export async function queryLatency(
  kinesisEndpoint: string,
  options: {
    events: number;
    requests: number;
    keep: boolean;
    routeSeconds: number;
    timeoutSeconds: number;
    only: string | null;
    profile: boolean;
  },
): Promise<void> {
  const database = 'stockwall_bench_history';
  const config = benchConfig(kinesisEndpoint, database);
  const infrastructure = await openInfrastructure(config);
  const { dataSource } = infrastructure;
  const app = await createApiApplication(infrastructure);
  try {
    const [{ loaded }] = await dataSource.query<{ loaded: string }[]>(
      `SELECT COUNT(*) AS loaded FROM inventory_events WHERE stream_name = 'bench'`,
    );
    if (Number(loaded) !== options.events) {
      if (Number(loaded) > 0) throw new Error(`${database} holds ${loaded} events: drop it first`);
      const started = Date.now();
      await load(dataSource, options.events);
      console.log(`loaded ${options.events} events in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    } else {
      console.log(`reusing ${database} with ${loaded} events`);
    }
    await loadForecasts(infrastructure.redis, config.redis.prefix, SKUS, START + DAYS * DAY_MS);
    for (const table of [
      'inventory_events',
      'inventory_event_lines',
      'kpi_minute',
      'kpi_hour',
      'stock_snapshots',
      'stock_levels',
      'sku_sales_day',
      'customer_orders',
      'stock_day_deltas',
    ]) {
      const [{ count }] = await dataSource.query<{ count: string }[]>(`SELECT COUNT(*) AS count FROM ${table}`);
      console.log(`  ${table}: ${Number(count).toLocaleString('en-US')} rows`);
    }
    await app.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const token = signAccessToken(requireJwtSecret(config), { sub: 'bench-viewer', role: 'viewer' }, '1h');
    const settings = {
      requests: options.requests,
      budgetMs: options.routeSeconds * 1000,
      timeoutMs: options.timeoutSeconds * 1000,
    };
    const baseline = await measure(dataSource, baseUrl, token, settings, BASELINE[1]);
    const line = (label: string, figures: Figures) =>
      figures.timedOut
        ? `${label}: first request not answered in ${options.timeoutSeconds} s (statements killed)`
        : `${label}: p50 ${figures.p50.toFixed(1)} ms, p95 ${figures.p95.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms, ` +
          `max ${figures.max.toFixed(1)} ms over ${figures.requests} requests (${figures.rows} rows per answer)`;
    console.log(`baseline ${line(BASELINE[0], baseline)}`);
    for (const [label, path] of SCENARIOS) {
      if (options.only !== null && !label.includes(options.only)) continue;
      const figures = await measure(dataSource, baseUrl, token, settings, path);
      const met = figures.p99 <= LIMIT_MS;
      console.log(`${line(label, figures)}; p99 ≤ ${LIMIT_MS} ms ${met ? 'met' : 'NOT met'}`);
      reportMeasure({
        bench: 'history-queries',
        name: `${label}, p99 over ${options.events.toLocaleString('en-US')} events`,
        value: figures.p99,
        unit: 'ms',
        baseline: { name: `${BASELINE[0]}, p99`, value: baseline.p99 },
        ratio: figures.p99 / baseline.p99,
        target: { valueAtMost: LIMIT_MS, text: `p99 ≤ ${LIMIT_MS} ms` },
        note: figures.timedOut
          ? `no answer within ${options.timeoutSeconds} s; the value is the timeout`
          : `p50 ${figures.p50.toFixed(1)} / p95 ${figures.p95.toFixed(1)} / max ${figures.max.toFixed(1)} ms, ${figures.requests} requests`,
      });
      reportSeries({ bench: 'history-queries', name: label, kind: 'latency', values: thin(figures.latencies) });
    }
    if (options.profile) await profile(dataSource, options.timeoutSeconds * 1000, START);
  } finally {
    await app.close();
    await dropForecasts(infrastructure.redis, config.redis.prefix);
    if (!options.keep) await dataSource.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await infrastructure.close();
  }
}

/** The plans of the routes' statements, and the time of each repository read behind the slow routes. */

import type { InventoryEvent, PersistBatchJob, PositionedEvent } from '@stockwall/contracts';
import { MIGRATIONS, PersistBatchWriter } from '@stockwall/persistence';
import { applyLiveWith } from './support/persist-jobs';
import { TestStack } from './support/test-stack';

const STREAM = 'rollup-stream';
const BASE = Date.parse('2024-03-04T23:00:00Z');
const SOURCES = ['web', 'pos'];
const LOCATIONS = ['main', 'north'];

/** Sales, restocks and fulfilments spread over two minutes of two hours and two days, two sources and two locations. */
function eventAt(shard: number, index: number): InventoryEvent {
  const meta = {
    eventId: `s${shard}-e${index}`,
    // 23:59:00 to 00:00:59, so batches straddle minutes, an hour and a day boundary.
    occurredAt: BASE + 59 * 60_000 + ((index * 7_919 + shard * 13) % 120_000),
    location: LOCATIONS[index % 2],
    source: SOURCES[(index >> 1) % 2],
  };
  const sku = `ROLL-${(index * 3 + shard) % 5}`;
  switch (index % 4) {
    case 0:
      // Every other restock names one of three suppliers.
      return {
        ...meta,
        type: 'restock_received',
        sku,
        quantity: 20,
        unitCostCents: 150 + index,
        ...(index % 8 === 0 ? { supplierId: `SUP-${index % 3}` } : {}),
      };
    case 1:
      return {
        ...meta,
        type: 'order_placed',
        orderId: `o-${shard}-${index}`,
        // Seven customers (salted hashes), and orders without one.
        ...(index % 3 === 0 ? {} : { customerHash: String(index % 7).padStart(32, '0') }),
        lines: [
          { sku, quantity: 2, unitPriceCents: 499 },
          { sku: `ROLL-${(index + 1) % 5}`, quantity: 1, unitPriceCents: 1_250 },
        ],
      };
    case 2:
      return { ...meta, type: 'order_fulfilled', orderId: `o-${shard}-${index - 1}`, lines: [{ sku, quantity: 2 }] };
    default:
      return { ...meta, type: 'order_returned', orderId: `o-${shard}-${index - 2}`, lines: [{ sku, quantity: 1 }] };
  }
}

function jobsOf(shard: number, events: InventoryEvent[], perJob: number): PersistBatchJob[] {
  const positioned: PositionedEvent[] = events.map((event, index) => ({
    position: { sequenceNumber: String(1_000 + index), subSequence: 0 },
    event,
  }));
  const jobs: PersistBatchJob[] = [];
  let after: PersistBatchJob['after'] = null;
  for (let start = 0; start < positioned.length; start += perJob) {
    const slice = positioned.slice(start, start + perJob);
    const last = slice[slice.length - 1].position;
    jobs.push({
      streamName: STREAM,
      shardId: `shardId-00000000000${shard}`,
      after,
      last,
      events: slice,
      deadLetters: [],
    });
    after = last;
  }
  return jobs;
}

interface SumsRow {
  at: Date;
  source: string;
  location: string;
  events: string;
  orders: string;
  units: string;
  revenue_cents: string;
  shipped: string;
  cogs_cents: string;
}

const normalise = (rows: SumsRow[]) =>
  rows
    .map((row) => ({
      at: new Date(row.at).toISOString(),
      key: `${row.source}/${row.location}`,
      sums: [row.events, row.orders, row.units, row.revenue_cents, row.shipped, row.cogs_cents].map(Number),
    }))
    .sort((left, right) => left.at.localeCompare(right.at) || left.key.localeCompare(right.key));

/** Rows as sorted JSON strings of their columns, to compare tables whatever their order. */
const byKey = (rows: Record<string, unknown>[]) =>
  rows.map((row) => JSON.stringify(Object.entries(row).map(([column, value]) => [column, String(value)]))).sort();

describe('persisted rollups', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ api: false });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('add each batch once: four shards at once, retried batches and a producer retry sum to the stored lines', async () => {
    const { dataSource } = stack.infrastructure;
    const writer = new PersistBatchWriter(dataSource);
    const shards = [1, 2, 3, 4].map((shard) => Array.from({ length: 120 }, (_, index) => eventAt(shard, index)));
    // A producer retry: shard 2 carries an event of shard 1 again under its own sequence number.
    shards[1].push({ ...shards[0][5] });
    const jobsPerShard = shards.map((events, index) => jobsOf(index + 1, events, 40));

    // Live, the shards' batches interleave; the producer retry is dropped there, and MySQL follows.
    const longest = Math.max(...jobsPerShard.map((jobs) => jobs.length));
    const interleaved = Array.from({ length: longest }, (_, round) => jobsPerShard.map((jobs) => jobs[round])).flat();
    const applied = interleaved.filter((job): job is PersistBatchJob => job !== undefined);
    const receipts = await applyLiveWith(
      stack.infrastructure.redis,
      stack.config.redis.prefix,
      { dedupeWindowMs: 600_000 },
      applied,
    );
    const receiptOf = (job: PersistBatchJob) => receipts[applied.indexOf(job)];
    // The four shards write the same minutes at the same time; every batch is delivered twice.
    const outcomes = await Promise.all(
      jobsPerShard.map(async (jobs) => {
        const seen: string[] = [];
        for (const job of jobs) {
          seen.push((await writer.write(job, receiptOf(job))).outcome);
          seen.push((await writer.write(job, receiptOf(job))).outcome);
        }
        return seen;
      }),
    );
    for (const seen of outcomes) {
      expect(seen.filter((outcome) => outcome === 'persisted')).toHaveLength(seen.length / 2);
      expect(seen.filter((outcome) => outcome === 'already_persisted')).toHaveLength(seen.length / 2);
    }
    // A re-read of an older batch after later ones (a new poller reading from a stale checkpoint).
    const [firstShardJobs] = jobsPerShard;
    expect((await writer.write(firstShardJobs[1], receiptOf(firstShardJobs[1]))).outcome).toBe('already_persisted');

    const [{ count }] = await dataSource.query<{ count: string }[]>(
      'SELECT COUNT(*) AS count FROM inventory_events WHERE stream_name = ?',
      [STREAM],
    );
    expect(Number(count)).toBe(480);

    // The independent figure: the rollups recomputed from every stored line.
    const minutesFromLines = await dataSource.query<SumsRow[]>(
      `SELECT minute_at AS at, source, location, SUM(line_no = 0) AS events, SUM(orders) AS orders, SUM(units) AS units,
         SUM(revenue_cents) AS revenue_cents, SUM(shipped) AS shipped, SUM(cogs_cents) AS cogs_cents
       FROM inventory_event_lines GROUP BY minute_at, source, location`,
    );
    const minutes = await dataSource.query<SumsRow[]>(
      `SELECT minute_at AS at, source, location, events, orders, units, revenue_cents, shipped, cogs_cents FROM kpi_minute`,
    );
    expect(normalise(minutes)).toEqual(normalise(minutesFromLines));
    expect(new Set(minutes.map((row) => new Date(row.at).toISOString())).size).toBe(2);

    const hoursFromLines = await dataSource.query<SumsRow[]>(
      `SELECT TIMESTAMP(DATE_FORMAT(minute_at, '%Y-%m-%d %H:00:00')) AS at, source, location, SUM(line_no = 0) AS events,
         SUM(orders) AS orders, SUM(units) AS units, SUM(revenue_cents) AS revenue_cents, SUM(shipped) AS shipped,
         SUM(cogs_cents) AS cogs_cents
       FROM inventory_event_lines GROUP BY 1, source, location`,
    );
    const hours = await dataSource.query<SumsRow[]>(
      `SELECT hour_at AS at, source, location, events, orders, units, revenue_cents, shipped, cogs_cents FROM kpi_hour`,
    );
    expect(normalise(hours)).toEqual(normalise(hoursFromLines));
    expect(new Set(hours.map((row) => new Date(row.at).toISOString())).size).toBe(2);

    // Each SKU's days: the lines with units (top products) and every line's shipped units and latest sale.
    const skuDaysFromLines = await dataSource.query<Record<string, unknown>[]>(
      `SELECT DATE(occurred_at) AS day_at, sku, location, source, SUM(units <> 0) AS sales_lines,
         SUM(IF(units <> 0, units, 0)) AS units, SUM(IF(units <> 0, revenue_cents, 0)) AS revenue_cents,
         SUM(shipped) AS shipped, MAX(IF(shipped > 0, occurred_at, NULL)) AS last_sale_at
       FROM inventory_event_lines WHERE units <> 0 OR shipped <> 0 GROUP BY 1, sku, location, source`,
    );
    const skuDays = await dataSource.query<Record<string, unknown>[]>(
      `SELECT day_at, sku, location, source, sales_lines, units, revenue_cents, shipped, last_sale_at FROM sku_sales_day`,
    );
    expect(byKey(skuDays)).toEqual(byKey(skuDaysFromLines));
    expect(new Set(skuDays.map((row) => new Date(row.day_at as Date).toISOString())).size).toBe(2);

    // Each SKU's supplier: the one its latest stored restock naming one named, whatever order the shards wrote in.
    const suppliersFromEvents = await dataSource.query<{ sku: string; location: string; supplier: string }[]>(
      `SELECT sku, location, supplier FROM (
         SELECT sku, location, JSON_UNQUOTE(JSON_EXTRACT(payload, '$.supplierId')) AS supplier,
           ROW_NUMBER() OVER (PARTITION BY sku, location ORDER BY occurred_at DESC, id DESC) AS latest
         FROM inventory_events WHERE event_type = 'restock_received' AND JSON_EXTRACT(payload, '$.supplierId') IS NOT NULL
       ) named WHERE latest = 1 ORDER BY sku, location`,
    );
    const suppliers = await dataSource.query<{ sku: string; location: string; supplier: string }[]>(
      'SELECT sku, location, supplier_id AS supplier FROM stock_levels WHERE supplier_id IS NOT NULL ORDER BY sku, location',
    );
    expect(suppliers).toEqual(suppliersFromEvents);
    expect(suppliers.length).toBeGreaterThan(3);

    // Each stored order of a known customer once, with its revenue as quantity × unit price of its lines.
    const customerOrdersFromEvents = await dataSource.query<Record<string, unknown>[]>(
      `SELECT e.event_id, e.customer_hash, e.occurred_at, e.source, e.location,
         SUM(line.quantity * COALESCE(line.price, 0)) AS revenue_cents
       FROM inventory_events e, JSON_TABLE(e.payload, '$.lines[*]' COLUMNS (
         quantity INT PATH '$.quantity', price INT PATH '$.unitPriceCents')) line
       WHERE e.event_type = 'order_placed' AND JSON_EXTRACT(e.payload, '$.customerHash') IS NOT NULL
       GROUP BY e.id`,
    );
    const customerOrders = await dataSource.query<Record<string, unknown>[]>(
      'SELECT event_id, customer_hash, occurred_at, source, location, revenue_cents FROM customer_orders',
    );
    expect(byKey(customerOrders)).toEqual(byKey(customerOrdersFromEvents));
    expect(customerOrders).toHaveLength(80);
    // Each customer's first order, whatever order the shards committed in.
    const firstOrdersFromEvents = await dataSource.query<Record<string, unknown>[]>(
      `SELECT JSON_UNQUOTE(JSON_EXTRACT(payload, '$.customerHash')) AS customer_hash, MIN(occurred_at) AS first_at
       FROM inventory_events WHERE event_type = 'order_placed' AND JSON_EXTRACT(payload, '$.customerHash') IS NOT NULL
       GROUP BY 1`,
    );
    const firstOrders = await dataSource.query<Record<string, unknown>[]>(
      'SELECT customer_hash, first_at FROM customer_first_orders',
    );
    expect(byKey(firstOrders)).toEqual(byKey(firstOrdersFromEvents));
    expect(firstOrders).toHaveLength(7);

    // Each line's stock effect is its stock after minus the one after the SKU's previous line in apply order …
    const effects = await dataSource.query<{ mismatched: string; line_count: string }[]>(
      `SELECT SUM(on_hand_delta <> on_hand OR committed_delta <> committed) AS mismatched, COUNT(*) AS line_count
       FROM (SELECT l.on_hand_delta, l.committed_delta,
               l.on_hand_after - COALESCE(LAG(l.on_hand_after) OVER apply_order, 0) AS on_hand,
               l.committed_after - COALESCE(LAG(l.committed_after) OVER apply_order, 0) AS committed
             FROM inventory_event_lines l JOIN inventory_events e ON e.event_id = l.event_id
             WINDOW apply_order AS (PARTITION BY l.sku, l.location ORDER BY e.apply_version, l.id)) effects`,
    );
    expect(effects.map((row) => [Number(row.mismatched), Number(row.line_count) > 480])).toEqual([[0, true]]);
    // … the effects add up to each SKU's stored stock, and their per-day sums to the lines'.
    const stockFromEffects = await dataSource.query<Record<string, unknown>[]>(
      `SELECT sku, location, SUM(on_hand_delta) AS on_hand, SUM(committed_delta) AS committed
       FROM inventory_event_lines GROUP BY sku, location`,
    );
    const stockLevels = await dataSource.query<Record<string, unknown>[]>(
      'SELECT sku, location, on_hand, committed FROM stock_levels',
    );
    expect(byKey(stockFromEffects)).toEqual(byKey(stockLevels));
    const stockDaysFromLines = await dataSource.query<Record<string, unknown>[]>(
      `SELECT DATE(occurred_at) AS day_at, sku, location, SUM(on_hand_delta) AS on_hand,
         SUM(committed_delta) AS committed, MAX(occurred_at) AS last_at
       FROM inventory_event_lines GROUP BY 1, sku, location`,
    );
    const stockDays = await dataSource.query<Record<string, unknown>[]>(
      'SELECT day_at, sku, location, on_hand, committed, last_at FROM stock_day_deltas',
    );
    expect(byKey(stockDays)).toEqual(byKey(stockDaysFromLines));

    // Known totals: 30 orders a shard of 2 units at 4.99 and 1 at 12.50; the returns carry no price and
    // these SKUs have no stored one, so they move units, not revenue.
    const totals = normalise(minutes).reduce(
      (sum, row) => sum.map((value, index) => value + row.sums[index]),
      [0, 0, 0, 0, 0, 0],
    );
    expect(totals[0]).toBe(480);
    expect(totals[1]).toBe(120);
    expect(totals[3]).toBe(120 * (2 * 499 + 1_250));
  });

  it('fill the same summaries again when their migrations rerun after a failure part-way', async () => {
    const { dataSource } = stack.infrastructure;
    const summaries = async () =>
      Promise.all(
        [
          'SELECT day_at, sku, location, source, sales_lines, units, revenue_cents, shipped, last_sale_at FROM sku_sales_day',
          'SELECT event_id, customer_hash, occurred_at, source, location, revenue_cents FROM customer_orders',
          'SELECT customer_hash, first_at FROM customer_first_orders',
          'SELECT day_at, sku, location, on_hand, committed, last_at FROM stock_day_deltas',
          'SELECT event_id, line_no, on_hand_delta, committed_delta FROM inventory_event_lines',
          'SELECT sku, location, supplier_id, supplier_at FROM stock_levels',
        ].map(async (sql) => byKey(await dataSource.query<Record<string, unknown>[]>(sql))),
      );
    const before = await summaries();
    expect(before.map((rows) => rows.length > 0)).toEqual([true, true, true, true, true, true]);
    // MySQL commits DDL at once: a migration that failed after its ALTER runs again over what it made.
    const runner = dataSource.createQueryRunner();
    try {
      for (const migration of MIGRATIONS.filter((type) => Number(/\d+$/.exec(type.name)?.[0]) >= 1765400000000)) {
        await new migration().up(runner);
      }
    } finally {
      await runner.release();
    }
    expect(await summaries()).toEqual(before);
  });
});

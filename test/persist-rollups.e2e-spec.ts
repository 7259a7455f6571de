import type { InventoryEvent, PersistBatchJob, PositionedEvent } from '@stockwall/contracts';
import { PersistBatchWriter } from '@stockwall/persistence';
import { applyLiveWith } from './support/persist-jobs';
import { TestStack } from './support/test-stack';

const STREAM = 'rollup-stream';
const BASE = Date.parse('2024-03-04T10:00:00Z');
const SOURCES = ['web', 'pos'];
const LOCATIONS = ['main', 'north'];

/** Sales, restocks and fulfilments spread over three minutes of two hours, two sources and two locations. */
function eventAt(shard: number, index: number): InventoryEvent {
  const meta = {
    eventId: `s${shard}-e${index}`,
    // 10:59:00 to 11:00:59, so batches straddle minutes and an hour boundary.
    occurredAt: BASE + 59 * 60_000 + ((index * 7_919 + shard * 13) % 120_000),
    location: LOCATIONS[index % 2],
    source: SOURCES[(index >> 1) % 2],
  };
  const sku = `ROLL-${(index * 3 + shard) % 5}`;
  switch (index % 4) {
    case 0:
      return { ...meta, type: 'restock_received', sku, quantity: 20, unitCostCents: 150 + index };
    case 1:
      return {
        ...meta,
        type: 'order_placed',
        orderId: `o-${shard}-${index}`,
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

describe('persisted rollups', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ api: false });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('add each batch once: two shards at once, retried batches and a producer retry sum to the stored lines', async () => {
    const { dataSource } = stack.infrastructure;
    const writer = new PersistBatchWriter(dataSource);
    const shardA = Array.from({ length: 240 }, (_, index) => eventAt(1, index));
    const shardB = Array.from({ length: 240 }, (_, index) => eventAt(2, index));
    // A producer retry: shard B carries an event of shard A again under its own sequence number.
    shardB.push({ ...shardA[5] });
    const jobsA = jobsOf(1, shardA, 40);
    const jobsB = jobsOf(2, shardB, 40);

    // Live, the shards' batches interleave; the producer retry is dropped there, and MySQL follows.
    const interleaved = jobsA.flatMap((job, index) => [job, jobsB[index]]).filter((job) => job !== undefined);
    const receipts = await applyLiveWith(
      stack.infrastructure.redis,
      stack.config.redis.prefix,
      { dedupeWindowMs: 600_000 },
      [...interleaved, ...jobsB.slice(jobsA.length)],
    );
    const receiptOf = (job: PersistBatchJob) => receipts[[...interleaved, ...jobsB.slice(jobsA.length)].indexOf(job)];
    // Both shards write the same minutes at the same time; every batch is delivered twice.
    const outcomes = await Promise.all(
      [jobsA, jobsB].map(async (jobs) => {
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
    expect((await writer.write(jobsA[1], receiptOf(jobsA[1]))).outcome).toBe('already_persisted');

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

    // Known totals: 60 orders a shard of 2 units at 4.99 and 1 at 12.50; the returns carry no price and
    // these SKUs have no stored one, so they move units, not revenue.
    const totals = normalise(minutes).reduce(
      (sum, row) => sum.map((value, index) => value + row.sums[index]),
      [0, 0, 0, 0, 0, 0],
    );
    expect(totals[0]).toBe(480);
    expect(totals[1]).toBe(120);
    expect(totals[3]).toBe(120 * (2 * 499 + 1_250));
  });
});

import type { EntityManager } from 'typeorm';
import { MINUTE_MS } from '@stockwall/contracts';
import type { EventLine } from './event-lines';

const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const SUMS = ['events', 'orders', 'units', 'revenue_cents', 'shipped', 'cogs_cents'] as const;
const ADD_SUMS = SUMS.map((column) => `${column} = ${column} + VALUES(${column})`).join(', ');

/** One rollup row's key and the sums a batch adds to it, in the column order of SUMS. */
interface RollupDelta {
  at: number;
  source: string;
  location: string;
  sums: [number, number, number, number, number, number];
}

/**
 * Adds a batch's lines to kpi_minute and kpi_hour. Only the lines of events this transaction
 * inserted are passed in, and the transaction also advances the shard's persisted position, so a
 * retried or re-read batch adds nothing: the sums are exact without re-reading stored lines.
 * (Recomputing a minute from its lines instead costs a scan of the whole minute per batch, which at
 * 2,000 events/s is 120,000 lines for a batch of a few hundred.) Rows are written in key order, so
 * two shards adding to the same minutes lock them in the same order and serialise.
 */
export async function addLinesToRollups(manager: EntityManager, lines: readonly EventLine[]): Promise<void> {
  if (lines.length === 0) return;
  await upsertDeltas(manager, 'kpi_minute', 'minute_at', deltasOf(lines, MINUTE_MS));
  await upsertDeltas(manager, 'kpi_hour', 'hour_at', deltasOf(lines, HOUR_MS));
  await upsertSkuDays(manager, lines);
  await upsertStockDays(manager, lines);
}

/**
 * Adds the lines' stock effects to each SKU's day (UTC) at their location, with the day's latest line
 * time. Sums commute, so shards adding in any order leave the same rows; exact as the rollups above.
 */
async function upsertStockDays(manager: EntityManager, lines: readonly EventLine[]): Promise<void> {
  const days = new Map<string, [Date, string, string, number, number, number]>();
  for (const line of lines) {
    const day = Math.floor(line.occurredAt / DAY_MS) * DAY_MS;
    const key = `${day}\u0000${line.sku}\u0000${line.location}`;
    const row = days.get(key);
    if (row) {
      row[3] += line.onHandDelta;
      row[4] += line.committedDelta;
      row[5] = Math.max(row[5], line.occurredAt);
    } else {
      days.set(key, [new Date(day), line.sku, line.location, line.onHandDelta, line.committedDelta, line.occurredAt]);
    }
  }
  const rows = [...days.values()]
    .sort(
      (left, right) =>
        left[0].getTime() - right[0].getTime() || compare(left[1], right[1]) || compare(left[2], right[2]),
    )
    .map(([day, sku, location, onHand, committed, lastAt]) => [
      day,
      sku,
      location,
      onHand,
      committed,
      new Date(lastAt),
    ]);
  await manager.query(
    `INSERT INTO stock_day_deltas (day_at, sku, location, on_hand, committed, last_at) VALUES ?
     ON DUPLICATE KEY UPDATE on_hand = on_hand + VALUES(on_hand), committed = committed + VALUES(committed),
       last_at = GREATEST(last_at, VALUES(last_at))`,
    [rows],
  );
}

/** One sku_sales_day row's key and what a batch adds to it. */
interface SkuDayDelta {
  day: number;
  sku: string;
  location: string;
  source: string;
  salesLines: number;
  units: number;
  revenueCents: number;
  shipped: number;
  lastSaleAt: number | null;
}

const EMPTY_SKU_DAY = { salesLines: 0, units: 0, revenueCents: 0, shipped: 0, lastSaleAt: null } as const;

/**
 * Adds the lines to each SKU's day (UTC) at their location and source: the lines with units to the
 * sales sums top products ranks, every line's shipped units, and the latest line that shipped. Exact
 * for the same reason as the rollups above (only lines this transaction inserted); written in key order.
 */
async function upsertSkuDays(manager: EntityManager, lines: readonly EventLine[]): Promise<void> {
  const deltas = new Map<string, SkuDayDelta>();
  for (const line of lines) {
    if (line.units === 0 && line.shipped === 0) continue;
    const day = Math.floor(line.occurredAt / DAY_MS) * DAY_MS;
    const key = `${day}\u0000${line.sku}\u0000${line.location}\u0000${line.source}`;
    let delta = deltas.get(key);
    if (!delta) {
      delta = { day, sku: line.sku, location: line.location, source: line.source, ...EMPTY_SKU_DAY };
      deltas.set(key, delta);
    }
    if (line.units !== 0) {
      delta.salesLines++;
      delta.units += line.units;
      delta.revenueCents += line.revenueCents;
    }
    delta.shipped += line.shipped;
    if (line.shipped > 0) delta.lastSaleAt = Math.max(delta.lastSaleAt ?? line.occurredAt, line.occurredAt);
  }
  if (deltas.size === 0) return;
  const rows = [...deltas.values()].sort(
    (left, right) =>
      left.day - right.day ||
      compare(left.sku, right.sku) ||
      compare(left.location, right.location) ||
      compare(left.source, right.source),
  );
  await manager.query(
    `INSERT INTO sku_sales_day (day_at, sku, location, source, sales_lines, units, revenue_cents, shipped, last_sale_at)
     VALUES ? ON DUPLICATE KEY UPDATE sales_lines = sales_lines + VALUES(sales_lines), units = units + VALUES(units),
       revenue_cents = revenue_cents + VALUES(revenue_cents), shipped = shipped + VALUES(shipped),
       last_sale_at = GREATEST(COALESCE(last_sale_at, VALUES(last_sale_at)), COALESCE(VALUES(last_sale_at), last_sale_at))`,
    [
      rows.map((row) => [
        new Date(row.day),
        row.sku,
        row.location,
        row.source,
        row.salesLines,
        row.units,
        row.revenueCents,
        row.shipped,
        row.lastSaleAt === null ? null : new Date(row.lastSaleAt),
      ]),
    ],
  );
}

function deltasOf(lines: readonly EventLine[], sizeMs: number): RollupDelta[] {
  const deltas = new Map<string, RollupDelta>();
  for (const line of lines) {
    const at = Math.floor(line.occurredAt / sizeMs) * sizeMs;
    const key = `${at}\u0000${line.source}\u0000${line.location}`;
    let delta = deltas.get(key);
    if (!delta) {
      delta = { at, source: line.source, location: line.location, sums: [0, 0, 0, 0, 0, 0] };
      deltas.set(key, delta);
    }
    const sums = delta.sums;
    if (line.lineNo === 0) sums[0] += 1;
    sums[1] += line.orders;
    sums[2] += line.units;
    sums[3] += line.revenueCents;
    sums[4] += line.shipped;
    sums[5] += line.cogsCents;
  }
  return [...deltas.values()].sort(
    (left, right) => left.at - right.at || compare(left.source, right.source) || compare(left.location, right.location),
  );
}

async function upsertDeltas(manager: EntityManager, table: string, column: string, deltas: RollupDelta[]) {
  await manager.query(
    `INSERT INTO ${table} (${column}, source, location, ${SUMS.join(', ')}) VALUES ?
     ON DUPLICATE KEY UPDATE ${ADD_SUMS}`,
    [deltas.map((delta) => [new Date(delta.at), delta.source, delta.location, ...delta.sums])],
  );
}

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

import type { DataSource } from 'typeorm';
import { MINUTE_MS } from '@stockwall/contracts';
import type { SalesSums } from './kpi-history';
import { scopeFilter } from './sales-scope';
import { daysAndEdges } from './sku-sales-days';

const HOUR_MS = 60 * MINUTE_MS;
const SUM_COLUMNS = `SUM(events) AS events, SUM(orders) AS orders, SUM(units) AS units,
  SUM(revenue_cents) AS revenue_cents, SUM(shipped) AS shipped, SUM(cogs_cents) AS cogs_cents`;

/** Sums of rollup rows as mysql2 returns them (BIGINT sums as strings). */
export interface SumsRow {
  events: string | null;
  orders: string | null;
  units: string | null;
  revenue_cents: string | null;
  shipped: string | null;
  cogs_cents: string | null;
}

export interface ProductLineRow {
  id: string;
  event_id: string;
  event_type: string;
  occurred_at: Date;
  source: string;
  location: string;
  // BIGINT columns come back from mysql2 as strings.
  units: string;
  revenue_cents: string;
  shipped: string;
  cogs_cents: string;
  on_hand_after: string;
  committed_after: string;
}

export interface SnapshotRow {
  taken_at: Date;
  location: string;
  on_hand: string;
  committed: string;
}

export interface AlertRow {
  id: string;
  alert_id: string;
  kind: string;
  sku: string;
  location: string;
  available: number;
  reorder_point: number | null;
  occurred_at: Date;
  stockout_ms: string | null;
  status: string;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
}

/** A time range in epoch ms, `to` exclusive. */
export interface TimeRange {
  from: number;
  to: number;
}

/** Reads of the history tables; every query is a range on an index (see docs/history.md). */
export class HistoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Sales per interval start. Hour-aligned ranges of 1h and longer intervals read kpi_hour (24× fewer
   * rows); anything else reads kpi_minute. Bucketing is arithmetic on the stored UTC datetimes.
   */
  async salesPerInterval(range: TimeRange, intervalMs: number, source: string | null): Promise<Map<number, SalesSums>> {
    const hourly = intervalMs >= HOUR_MS && range.from % HOUR_MS === 0 && range.to % HOUR_MS === 0;
    const [table, column] = hourly ? ['kpi_hour', 'hour_at'] : ['kpi_minute', 'minute_at'];
    // At the table's own granularity, grouping by the key's first column walks the primary key in
    // order with no temporary table (the 24 h at 1m query reads ~35,000 rows); coarser intervals
    // group by the interval number since the epoch.
    const native = intervalMs === (hourly ? HOUR_MS : MINUTE_MS);
    const bucket = native
      ? `TIMESTAMPDIFF(MINUTE, '1970-01-01 00:00:00', ${column})`
      : `FLOOR(TIMESTAMPDIFF(MINUTE, '1970-01-01 00:00:00', ${column}) / ${intervalMs / MINUTE_MS})`;
    const rows = await this.dataSource.query<(SumsRow & { bucket: string })[]>(
      `SELECT ${bucket} AS bucket, ${SUM_COLUMNS}
       FROM ${table} WHERE ${source === null ? '' : 'source = ? AND '}${column} >= ? AND ${column} < ?
       GROUP BY ${native ? column : 'bucket'}`,
      [...(source === null ? [] : [source]), new Date(range.from), new Date(range.to)],
    );
    const bucketMs = native ? MINUTE_MS : intervalMs;
    return new Map(rows.map((row) => [Number(row.bucket) * bucketMs, toSums(row)]));
  }

  /** Sales per source over a range. */
  async salesBySource(range: TimeRange, location: string | null = null): Promise<(SalesSums & { source: string })[]> {
    const { table, column } = this.rollupFor(range);
    const rows = await this.dataSource.query<(SumsRow & { source: string })[]>(
      `SELECT source, ${SUM_COLUMNS} FROM ${table} WHERE ${column} >= ? AND ${column} < ?
       ${location === null ? '' : 'AND location = ?'} GROUP BY source ORDER BY source`,
      [new Date(range.from), new Date(range.to), ...(location === null ? [] : [location])],
    );
    return rows.map((row) => ({ source: row.source, ...toSums(row) }));
  }

  /**
   * Best sellers: whole UTC days from `sku_sales_day`, the range's edges from the stored lines (so a
   * week reads a week of per-SKU days, not every line of it). Only lines with units count, as ever.
   */
  async topProducts(
    range: TimeRange,
    by: 'units' | 'revenue',
    limit: number,
    scope: { source: string | null; location: string | null } = { source: null, location: null },
  ): Promise<{ sku: string; name: string | null; units: number; revenueCents: number }[]> {
    const order = by === 'units' ? 'units DESC, revenue_cents DESC' : 'revenue_cents DESC, units DESC';
    const filter = scopeFilter(scope);
    const parts = daysAndEdges(
      range,
      {
        dayColumns: 'sku, units, revenue_cents, sales_lines',
        lineColumns: 'sku, units, revenue_cents, 1 AS sales_lines',
        lineFilter: ' AND units <> 0',
      },
      filter,
    );
    const rows = await this.dataSource.query<
      { sku: string; name: string | null; units: string; revenue_cents: string }[]
    >(
      `SELECT top.sku, p.name, top.units, top.revenue_cents FROM (
         SELECT sku, SUM(units) AS units, SUM(revenue_cents) AS revenue_cents FROM (${parts.sql}) parts
         GROUP BY sku HAVING SUM(sales_lines) > 0 ORDER BY ${order}, sku LIMIT ?) top
       LEFT JOIN products p ON p.sku = top.sku ORDER BY ${order.replace(/(units|revenue_cents)/g, 'top.$1')}, top.sku`,
      [...parts.parameters, limit],
    );
    return rows.map((row) => ({
      sku: row.sku,
      name: row.name,
      units: Number(row.units),
      revenueCents: Number(row.revenue_cents),
    }));
  }

  /** The SKU's stored lines in event-time order, after a (time, id) cursor. */
  productLines(sku: string, range: TimeRange, after: { at: number; id: string } | null, limit: number) {
    return this.dataSource.query<ProductLineRow[]>(
      `SELECT id, event_id, event_type, occurred_at, source, location, units, revenue_cents, shipped, cogs_cents,
         on_hand_after, committed_after
       FROM inventory_event_lines
       WHERE sku = ? AND occurred_at >= ? AND occurred_at < ?
         ${after ? 'AND (occurred_at > ? OR (occurred_at = ? AND id > ?))' : ''}
       ORDER BY occurred_at, id LIMIT ?`,
      [
        sku,
        new Date(range.from),
        new Date(range.to),
        ...(after ? [new Date(after.at), new Date(after.at), after.id] : []),
        limit,
      ],
    );
  }

  productSnapshots(sku: string, range: TimeRange, limit: number) {
    return this.dataSource.query<SnapshotRow[]>(
      `SELECT taken_at, location, on_hand, committed FROM stock_snapshots
       WHERE sku = ? AND taken_at >= ? AND taken_at < ? ORDER BY taken_at, location LIMIT ?`,
      [sku, new Date(range.from), new Date(range.to), limit],
    );
  }

  alerts(filter: { status?: string; range: TimeRange; beforeId?: string; limit: number }) {
    return this.dataSource.query<AlertRow[]>(
      `SELECT id, alert_id, kind, sku, location, available, reorder_point, occurred_at, stockout_ms, status,
         acknowledged_at, acknowledged_by
       FROM alerts WHERE occurred_at >= ? AND occurred_at < ? ${filter.status ? 'AND status = ?' : ''}
         ${filter.beforeId ? 'AND id < ?' : ''}
       ORDER BY id DESC LIMIT ?`,
      [
        new Date(filter.range.from),
        new Date(filter.range.to),
        ...(filter.status ? [filter.status] : []),
        ...(filter.beforeId ? [filter.beforeId] : []),
        filter.limit,
      ],
    );
  }

  /** One stored alert, by row id or alert id. */
  async findAlert(id: string): Promise<AlertRow | null> {
    const column = /^\d{1,20}$/.test(id) ? 'id' : 'alert_id';
    const [row] = await this.dataSource.query<AlertRow[]>(
      `SELECT id, alert_id, kind, sku, location, available, reorder_point, occurred_at, stockout_ms, status,
         acknowledged_at, acknowledged_by FROM alerts WHERE ${column} = ?`,
      [id],
    );
    return row ?? null;
  }

  private rollupFor(range: TimeRange): { table: string; column: string } {
    return range.from % HOUR_MS === 0 && range.to % HOUR_MS === 0
      ? { table: 'kpi_hour', column: 'hour_at' }
      : { table: 'kpi_minute', column: 'minute_at' };
  }
}

export function toSums(row: SumsRow): SalesSums {
  return {
    events: Number(row.events ?? 0),
    orders: Number(row.orders ?? 0),
    units: Number(row.units ?? 0),
    revenueCents: Number(row.revenue_cents ?? 0),
    shipped: Number(row.shipped ?? 0),
    cogsCents: Number(row.cogs_cents ?? 0),
  };
}

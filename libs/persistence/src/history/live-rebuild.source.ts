import type { DataSource, QueryRunner } from 'typeorm';
import type { MinuteRollup, PersistedPosition, RebuildStockRow, SkuMinuteSales } from '@stockwall/aggregation';
import { reportStockRow, type StockColumns } from './reports.repository';

/** The tables a rebuild reads; it never creates or migrates them. */
export const LIVE_REBUILD_TABLES = [
  'stock_levels',
  'shard_positions',
  'kpi_minute',
  'inventory_events',
  'inventory_event_lines',
] as const;

/** A SKU at a location, and the event time its current stockout began. */
export interface StockoutStart {
  sku: string;
  location: string;
  since: number;
}

/** Units shipped by one SKU at one location in one minute. */
export interface ShippedMinute {
  sku: string;
  location: string;
  minute: number;
  units: number;
}

/**
 * Reads what a live-state rebuild needs from MySQL, all inside one read-only transaction with a
 * consistent snapshot, so the stock, the rollups and the shard positions are of the same instant
 * even if persist jobs still commit meanwhile. Plain SQL; MySQL is never written.
 */
export class LiveRebuildSource {
  private constructor(private readonly runner: QueryRunner) {}

  static async open(dataSource: DataSource): Promise<LiveRebuildSource> {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      await runner.query('START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT');
    } catch (error) {
      await runner.release();
      throw error;
    }
    return new LiveRebuildSource(runner);
  }

  async close(): Promise<void> {
    await this.runner.query('COMMIT').catch(() => undefined);
    await this.runner.release();
  }

  private async select<Rows extends object[]>(sql: string, parameters: unknown[] = []): Promise<Rows> {
    return (await this.runner.query(sql, parameters)) as Rows;
  }

  /** Every `stock_levels` row, in (sku, location) order. */
  async stockLevels(): Promise<RebuildStockRow[]> {
    const rows = await this.select<
      (StockColumns & {
        unit_price_cents: string | null;
        reorder_point: number | null;
        active: number;
        last_event_at: Date | null;
      })[]
    >(
      `SELECT sku, location, name, on_hand, committed, unit_cost_cents, unit_price_cents, reorder_point, active,
         last_event_at FROM stock_levels ORDER BY sku, location`,
    );
    return rows.map((row) => ({
      ...reportStockRow(row),
      unitPriceCents: row.unit_price_cents === null ? null : Number(row.unit_price_cents),
      reorderPoint: row.reorder_point === null ? null : Number(row.reorder_point),
      active: Boolean(Number(row.active)),
      lastEventAt: row.last_event_at ? row.last_event_at.getTime() : null,
    }));
  }

  /** Each shard's persisted position on the stream. */
  async shardPositions(streamName: string): Promise<PersistedPosition[]> {
    const rows = await this.select<{ shard_id: string; sequence_number: string | null; sub_sequence: number }[]>(
      'SELECT shard_id, sequence_number, sub_sequence FROM shard_positions WHERE stream_name = ? ORDER BY shard_id',
      [streamName],
    );
    return rows.map((row) => ({
      shardId: row.shard_id,
      sequenceNumber: row.sequence_number,
      subSequence: Number(row.sub_sequence),
    }));
  }

  /** The latest event time that moved stock (stock_levels keep it past the raw-event retention). */
  async latestEventAt(): Promise<number | null> {
    const [row] = await this.select<{ latest: Date | null }[]>('SELECT MAX(last_event_at) AS latest FROM stock_levels');
    return row?.latest ? row.latest.getTime() : null;
  }

  /**
   * The largest live-state versions MySQL recorded (`stock_levels.live_version`,
   * `inventory_events.apply_version`), where those columns exist.
   */
  async recordedVersions(): Promise<number[]> {
    const columns = await this.select<{ table_name: string; column_name: string }[]>(
      `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name FROM information_schema.COLUMNS
       WHERE TABLE_SCHEMA = DATABASE() AND ((TABLE_NAME = 'stock_levels' AND COLUMN_NAME = 'live_version')
         OR (TABLE_NAME = 'inventory_events' AND COLUMN_NAME = 'apply_version'))`,
    );
    const versions: number[] = [];
    for (const { table_name: table, column_name: column } of columns) {
      const [row] = await this.select<{ version: string | null }[]>(
        `SELECT MAX(\`${column}\`) AS version FROM \`${table}\``,
      );
      if (row?.version !== null && row?.version !== undefined) versions.push(Number(row.version));
    }
    return versions;
  }

  /** `kpi_minute` rows from `fromMs` on, summed over locations (windows are per source). */
  async minuteRollups(fromMs: number): Promise<MinuteRollup[]> {
    const rows = await this.select<
      {
        minute_at: Date;
        source: string;
        orders: string;
        revenue: string;
        units: string;
        cogs: string;
        events: string;
      }[]
    >(
      `SELECT minute_at, source, SUM(orders) AS orders, SUM(revenue_cents) AS revenue, SUM(units) AS units,
         SUM(cogs_cents) AS cogs, SUM(events) AS events
       FROM kpi_minute WHERE minute_at >= ? GROUP BY minute_at, source`,
      [new Date(fromMs)],
    );
    return rows.map((row) => ({
      minute: row.minute_at.getTime(),
      source: row.source,
      orders: Number(row.orders),
      revenueCents: Number(row.revenue),
      units: Number(row.units),
      cogsCents: Number(row.cogs),
      events: Number(row.events),
    }));
  }

  /** Net units and revenue per SKU, minute and source from `fromMs` on (the top-SKU rankings). */
  async skuMinuteSales(fromMs: number): Promise<SkuMinuteSales[]> {
    const rows = await this.select<{ minute_at: Date; source: string; sku: string; units: string; revenue: string }[]>(
      `SELECT minute_at, source, sku, SUM(units) AS units, SUM(revenue_cents) AS revenue
       FROM inventory_event_lines WHERE occurred_at >= ? GROUP BY minute_at, source, sku`,
      [new Date(fromMs)],
    );
    return rows.map((row) => ({
      minute: row.minute_at.getTime(),
      source: row.source,
      sku: row.sku,
      units: Number(row.units),
      revenueCents: Number(row.revenue),
    }));
  }

  /** Units shipped per SKU, location and minute for SKUs from `firstSku` to `lastSku`, in time order. */
  async shippedMinutes(firstSku: string, lastSku: string): Promise<ShippedMinute[]> {
    const rows = await this.select<{ sku: string; location: string; minute_at: Date; units: string }[]>(
      `SELECT sku, location, minute_at, SUM(shipped) AS units FROM inventory_event_lines
       WHERE sku BETWEEN ? AND ? AND event_type = 'order_fulfilled'
       GROUP BY sku, location, minute_at ORDER BY sku, location, minute_at`,
      [firstSku, lastSku],
    );
    return rows.map((row) => ({
      sku: row.sku,
      location: row.location,
      minute: row.minute_at.getTime(),
      units: Number(row.units),
    }));
  }

  /**
   * For SKUs from `firstSku` to `lastSku`: the event time of the first stored line after the last one
   * that left stock available (in the order MySQL applied them), i.e. when the current stockout began.
   * A SKU whose lines all left nothing available starts at its first line.
   */
  async stockoutStarts(firstSku: string, lastSku: string): Promise<StockoutStart[]> {
    const rows = await this.select<{ sku: string; location: string; since: Date | null }[]>(
      `SELECT l.sku, l.location, MIN(l.occurred_at) AS since
       FROM inventory_event_lines l
       LEFT JOIN (SELECT sku, location, MAX(id) AS last_id FROM inventory_event_lines
                  WHERE sku BETWEEN ? AND ? AND on_hand_after - committed_after > 0 GROUP BY sku, location) s
         ON s.sku = l.sku AND s.location = l.location
       WHERE l.sku BETWEEN ? AND ? AND (s.last_id IS NULL OR l.id > s.last_id)
       GROUP BY l.sku, l.location`,
      [firstSku, lastSku, firstSku, lastSku],
    );
    return rows.flatMap((row) =>
      row.since ? [{ sku: row.sku, location: row.location, since: row.since.getTime() }] : [],
    );
  }

  /** Restocks naming a supplier, in the order MySQL applied them. */
  async supplierRestocks(): Promise<{ sku: string; location: string; supplierId: string }[]> {
    const rows = await this.select<{ sku: string; location: string; supplier: string | null }[]>(
      `SELECT sku, location, JSON_UNQUOTE(JSON_EXTRACT(payload, '$.supplierId')) AS supplier
       FROM inventory_events WHERE event_type = 'restock_received' AND sku IS NOT NULL ORDER BY id`,
    );
    return rows.flatMap((row) =>
      row.supplier && row.supplier !== 'null'
        ? [{ sku: row.sku, location: row.location, supplierId: row.supplier }]
        : [],
    );
  }
}

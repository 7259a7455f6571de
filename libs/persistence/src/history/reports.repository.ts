import type { DataSource } from 'typeorm';
import type { TimeRange } from './history.repository';

const DAY_MS = 86_400_000;

/** A SKU's stock at a location, read for a report. */
export interface ReportStockRow {
  sku: string;
  location: string;
  name: string | null;
  onHand: number;
  committed: number;
  unitCostCents: number | null;
}

/** A stock_levels or stock_snapshots row's stock columns as mysql2 returns them (BIGINT as strings). */
export interface StockColumns {
  sku: string;
  location: string;
  name?: string | null;
  on_hand: string;
  committed: string;
  unit_cost_cents: string | null;
}

/** A report's stock row from those columns. */
export function reportStockRow(row: StockColumns): ReportStockRow {
  return {
    sku: row.sku,
    location: row.location,
    name: row.name ?? null,
    onHand: Number(row.on_hand),
    committed: Number(row.committed),
    unitCostCents: row.unit_cost_cents === null ? null : Number(row.unit_cost_cents),
  };
}

/** Units shipped (net of returns) by a SKU in a range, and its latest sale before the range's end. */
export interface SkuMovement {
  sku: string;
  location: string;
  shipped: number;
  lastSaleAt: number | null;
}

/** Reads behind the stock reports (stock on a date, slow movers, replenishment). */
export class ReportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Current stock of the active SKUs (of one location, or all), with names and unit costs. */
  async currentStock(location: string | null): Promise<ReportStockRow[]> {
    const rows = await this.dataSource.query<StockColumns[]>(
      `SELECT sku, location, name, on_hand, committed, unit_cost_cents FROM stock_levels
       WHERE active = 1 ${location === null ? '' : 'AND location = ?'} ORDER BY sku, location`,
      location === null ? [] : [location],
    );
    return rows.map(reportStockRow);
  }

  /**
   * The latest snapshot at or before `at` of each SKU (for SKUs whose raw lines were pruned): every
   * tick copies all of stock_levels, whose rows are never deleted, so that is the latest tick's rows.
   */
  async snapshotsAt(at: number, location: string | null): Promise<(ReportStockRow & { takenAt: number })[]> {
    const rows = await this.dataSource.query<
      {
        sku: string;
        location: string;
        taken_at: Date;
        on_hand: string;
        committed: string;
        unit_cost_cents: string | null;
      }[]
    >(
      `SELECT sku, location, taken_at, on_hand, committed, unit_cost_cents FROM stock_snapshots
       WHERE taken_at = (SELECT MAX(taken_at) FROM stock_snapshots WHERE taken_at <= ?)
         ${location === null ? '' : 'AND location = ?'}`,
      [new Date(at), ...(location === null ? [] : [location])],
    );
    return rows.map((row) => ({ ...reportStockRow(row), takenAt: new Date(row.taken_at).getTime() }));
  }

  /** SKU names by `location\u0000sku`. */
  async names(location: string | null): Promise<Map<string, string | null>> {
    const rows = await this.dataSource.query<{ sku: string; location: string; name: string | null }[]>(
      `SELECT sku, location, name FROM stock_levels ${location === null ? '' : 'WHERE location = ?'}`,
      location === null ? [] : [location],
    );
    return new Map(rows.map((row) => [`${row.location}\u0000${row.sku}`, row.name]));
  }

  /**
   * Per SKU and location: units shipped in the range, and the time of its latest sale before the
   * range's end. From `sku_sales_day`: the shipped units of the range's whole UTC days, and the latest
   * sale of every day before the range's last whole day (one dive per SKU on its last-sale index);
   * from the stored lines: the partial day the range ends in, and the part before its first whole day.
   */
  async movements(range: TimeRange, location: string | null): Promise<Map<string, SkuMovement>> {
    const firstDay = Math.ceil(range.from / DAY_MS) * DAY_MS;
    const lastDay = Math.floor(range.to / DAY_MS) * DAY_MS;
    const where = location === null ? '' : ' AND location = ?';
    const scope = location === null ? [] : [location];
    const rows = await this.dataSource.query<
      { sku: string; location: string; shipped: string; last_sale: Date | null }[]
    >(
      `SELECT sku, location, SUM(shipped) AS shipped, MAX(last_sale) AS last_sale FROM (
         SELECT sku, location, SUM(shipped) AS shipped, NULL AS last_sale FROM sku_sales_day
         WHERE day_at >= ? AND day_at < ?${where} GROUP BY sku, location
         UNION ALL
         SELECT sku, location, 0, MAX(last_sale_at) FROM sku_sales_day
         WHERE last_sale_at < ?${where} GROUP BY sku, location
         UNION ALL
         SELECT sku, location, IF(occurred_at >= ?, shipped, 0), IF(shipped > 0, occurred_at, NULL)
         FROM inventory_event_lines WHERE occurred_at >= ? AND occurred_at < ?${where}
         UNION ALL
         SELECT sku, location, shipped, NULL FROM inventory_event_lines WHERE occurred_at >= ? AND occurred_at < ?${where}
       ) parts GROUP BY sku, location`,
      [
        new Date(firstDay),
        new Date(lastDay),
        ...scope,
        new Date(lastDay),
        ...scope,
        new Date(range.from),
        new Date(lastDay),
        new Date(range.to),
        ...scope,
        new Date(range.from),
        new Date(Math.min(firstDay, lastDay)),
        ...scope,
      ],
    );
    return new Map(
      rows.map((row) => [
        `${row.location}\u0000${row.sku}`,
        {
          sku: row.sku,
          location: row.location,
          shipped: Number(row.shipped),
          lastSaleAt: row.last_sale === null ? null : new Date(row.last_sale).getTime(),
        },
      ]),
    );
  }

  /** The supplier of each SKU and location: the one its latest restock naming a supplier named. */
  async suppliers(): Promise<Map<string, string>> {
    const rows = await this.dataSource.query<{ sku: string; location: string; supplier_id: string }[]>(
      'SELECT sku, location, supplier_id FROM stock_levels WHERE supplier_id IS NOT NULL',
    );
    return new Map(rows.map((row) => [`${row.location}\u0000${row.sku}`, row.supplier_id]));
  }
}

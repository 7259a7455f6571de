import type { DataSource } from 'typeorm';
import { MINUTE_MS } from '@stockwall/contracts';
import type { SalesSums } from './kpi-history';
import type { CatalogChange, StockStep } from './stock-timeline';
import { toSums, type SumsRow, type TimeRange } from './history.repository';

const HOUR_MS = 60 * MINUTE_MS;

/** Which sales a history or report reads: one source (channel or store) and/or one stock location. */
export interface SalesScope {
  source: string | null;
  location: string | null;
}

/** One order of a known customer (salted hash, never the id). */
export interface CustomerOrder {
  customerHash: string;
  at: number;
  revenueCents: number;
}

/**
 * Reads behind the manager analytics (history KPIs in a time zone, customers, stock over time).
 * Every read is one statement on an index; the time-zone bucketing is done by the caller.
 */
export class AnalyticsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Sales per rollup row start (epoch ms) over a range: whole hours from kpi_hour when `hourly`
   * allows, the minutes at either edge (and everything when it does not) from kpi_minute.
   */
  async salesPerRollup(range: TimeRange, scope: SalesScope, hourly: boolean): Promise<Map<number, SalesSums>> {
    const sums = new Map<number, SalesSums>();
    const firstHour = Math.ceil(range.from / HOUR_MS) * HOUR_MS;
    const lastHour = Math.floor(range.to / HOUR_MS) * HOUR_MS;
    const parts: [string, string, TimeRange][] =
      hourly && firstHour < lastHour
        ? [
            ['kpi_minute', 'minute_at', { from: range.from, to: firstHour }],
            ['kpi_hour', 'hour_at', { from: firstHour, to: lastHour }],
            ['kpi_minute', 'minute_at', { from: lastHour, to: range.to }],
          ]
        : [['kpi_minute', 'minute_at', range]];
    for (const [table, column, part] of parts) {
      if (part.from >= part.to) continue;
      const filter = scopeFilter(scope);
      const rows = await this.dataSource.query<(SumsRow & { at: string })[]>(
        `SELECT TIMESTAMPDIFF(MINUTE, '1970-01-01 00:00:00', ${column}) AS at, SUM(events) AS events,
           SUM(orders) AS orders, SUM(units) AS units, SUM(revenue_cents) AS revenue_cents, SUM(shipped) AS shipped,
           SUM(cogs_cents) AS cogs_cents
         FROM ${table} WHERE ${column} >= ? AND ${column} < ?${filter.sql} GROUP BY ${column}`,
        [new Date(part.from), new Date(part.to), ...filter.parameters],
      );
      for (const row of rows) {
        sums.set(Number(row.at) * MINUTE_MS, toSums(row));
      }
    }
    return sums;
  }

  /**
   * Every order of a known customer placed before `to` in the scope, oldest first, with its revenue
   * (from its lines). Reads the stored events, so it covers the raw-event retention.
   */
  async customerOrders(to: number, scope: SalesScope): Promise<CustomerOrder[]> {
    const filter = scopeFilter(scope, 'e.');
    const rows = await this.dataSource.query<{ customer_hash: string; occurred_at: Date; revenue_cents: string }[]>(
      `SELECT e.customer_hash, e.occurred_at,
         (SELECT COALESCE(SUM(l.revenue_cents), 0) FROM inventory_event_lines l WHERE l.event_id = e.event_id)
           AS revenue_cents
       FROM inventory_events e
       WHERE e.customer_hash IS NOT NULL AND e.event_type = 'order_placed' AND e.occurred_at < ?${filter.sql}
       ORDER BY e.occurred_at, e.id`,
      [new Date(to), ...filter.parameters],
    );
    return rows.map((row) => ({
      customerHash: row.customer_hash,
      at: new Date(row.occurred_at).getTime(),
      revenueCents: Number(row.revenue_cents),
    }));
  }

  /**
   * The stock of every SKU (at the location, or all) after each event before `to`, in event-time
   * order: for each SKU the last state before `from`, then every change in [from, to).
   */
  async stockSteps(range: TimeRange, location: string | null): Promise<StockStep[]> {
    const where = location === null ? '' : ' AND location = ?';
    const parameters = location === null ? [] : [location];
    type Row = { sku: string; location: string; occurred_at: Date; on_hand_after: string; committed_after: string };
    const opening = await this.dataSource.query<Row[]>(
      `SELECT sku, location, occurred_at, on_hand_after, committed_after FROM (
         SELECT sku, location, occurred_at, on_hand_after, committed_after,
           ROW_NUMBER() OVER (PARTITION BY sku, location ORDER BY occurred_at DESC, id DESC) AS newest
         FROM inventory_event_lines WHERE occurred_at < ?${where}) last_lines
       WHERE newest = 1`,
      [new Date(range.from), ...parameters],
    );
    const changes = await this.dataSource.query<Row[]>(
      `SELECT sku, location, occurred_at, on_hand_after, committed_after FROM inventory_event_lines
       WHERE occurred_at >= ? AND occurred_at < ?${where} ORDER BY occurred_at, id`,
      [new Date(range.from), new Date(range.to), ...parameters],
    );
    return [...opening, ...changes].map((row) => ({
      sku: row.sku,
      location: row.location,
      at: new Date(row.occurred_at).getTime(),
      onHand: Number(row.on_hand_after),
      committed: Number(row.committed_after),
    }));
  }

  /** Definitions, restocks and discontinuations before `to`, per `location\u0000sku`, in event-time order. */
  async catalogChanges(to: number, location: string | null): Promise<Map<string, CatalogChange[]>> {
    const rows = await this.dataSource.query<
      {
        sku: string;
        location: string;
        event_type: string;
        occurred_at: Date;
        on_hand_after: string;
        payload: string | Record<string, unknown>;
      }[]
    >(
      `SELECT l.sku, l.location, l.event_type, l.occurred_at, l.on_hand_after, e.payload
       FROM inventory_event_lines l JOIN inventory_events e ON e.event_id = l.event_id
       WHERE l.event_type IN ('product_added', 'restock_received', 'product_removed') AND l.occurred_at < ?
         ${location === null ? '' : 'AND l.location = ?'}
       ORDER BY l.occurred_at, l.id`,
      [new Date(to), ...(location === null ? [] : [location])],
    );
    const changes = new Map<string, CatalogChange[]>();
    for (const row of rows) {
      const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as {
        unitCostCents?: number;
        quantity?: number;
      };
      const at = new Date(row.occurred_at).getTime();
      const change: CatalogChange | null =
        row.event_type === 'product_added'
          ? { kind: 'defined', at, unitCostCents: payload.unitCostCents ?? null }
          : row.event_type === 'restock_received'
            ? {
                kind: 'restocked',
                at,
                onHandAfter: Number(row.on_hand_after),
                quantity: payload.quantity ?? 0,
                unitCostCents: payload.unitCostCents ?? 0,
              }
            : payload.quantity === undefined
              ? { kind: 'discontinued', at }
              : null;
      if (change === null) continue;
      const key = `${row.location}\u0000${row.sku}`;
      const list = changes.get(key);
      if (list) list.push(change);
      else changes.set(key, [change]);
    }
    return changes;
  }
}

/** ` AND source = ? AND location = ?` for the scope's set fields. */
export function scopeFilter(scope: SalesScope, alias = ''): { sql: string; parameters: string[] } {
  const clauses: string[] = [];
  const parameters: string[] = [];
  if (scope.source !== null) {
    clauses.push(`${alias}source = ?`);
    parameters.push(scope.source);
  }
  if (scope.location !== null) {
    clauses.push(`${alias}location = ?`);
    parameters.push(scope.location);
  }
  return { sql: clauses.map((clause) => ` AND ${clause}`).join(''), parameters };
}

import type { DataSource } from 'typeorm';
import { MINUTE_MS } from '@stockwall/contracts';
import type { SalesSums } from './kpi-history';
import type { CatalogChange, StockStep } from './stock-timeline';
import { toSums, type SumsRow, type TimeRange } from './history.repository';
import { scopeFilter, type SalesScope } from './sales-scope';

export type { SalesScope } from './sales-scope';

const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

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

  /** The orders of known customers placed in the range and scope, from the narrow `customer_orders` rows. */
  async customerOrders(range: TimeRange, scope: SalesScope): Promise<CustomerOrder[]> {
    const filter = scopeFilter(scope);
    const rows = await this.dataSource.query<{ customer_hash: string; occurred_at: Date; revenue_cents: string }[]>(
      `SELECT customer_hash, occurred_at, revenue_cents FROM customer_orders
       WHERE occurred_at >= ? AND occurred_at < ?${filter.sql}`,
      [new Date(range.from), new Date(range.to), ...filter.parameters],
    );
    return rows.map((row) => ({
      customerHash: row.customer_hash,
      at: new Date(row.occurred_at).getTime(),
      revenueCents: Number(row.revenue_cents),
    }));
  }

  /**
   * The first order in the scope (ever) of each customer who ordered in the range: without a scope
   * from `customer_first_orders`, else the earliest of the customer's orders in the scope.
   */
  async firstOrders(range: TimeRange, scope: SalesScope): Promise<Map<string, number>> {
    if (scope.source === null && scope.location === null) {
      const firsts = await this.dataSource.query<{ customer_hash: string; first_at: Date }[]>(
        `SELECT first.customer_hash, first.first_at FROM customer_first_orders first
         JOIN (SELECT DISTINCT customer_hash FROM customer_orders WHERE occurred_at >= ? AND occurred_at < ?) customers
           ON customers.customer_hash = first.customer_hash`,
        [new Date(range.from), new Date(range.to)],
      );
      return new Map(firsts.map((row) => [row.customer_hash, new Date(row.first_at).getTime()]));
    }
    const filter = scopeFilter(scope);
    const inner = scopeFilter(scope, 'first.');
    const rows = await this.dataSource.query<{ customer_hash: string; first_at: Date }[]>(
      `SELECT customers.customer_hash, (SELECT MIN(first.occurred_at) FROM customer_orders first
           WHERE first.customer_hash = customers.customer_hash${inner.sql}) AS first_at
       FROM (SELECT DISTINCT customer_hash FROM customer_orders
             WHERE occurred_at >= ? AND occurred_at < ?${filter.sql}) customers`,
      [...inner.parameters, new Date(range.from), new Date(range.to), ...filter.parameters],
    );
    return new Map(rows.map((row) => [row.customer_hash, new Date(row.first_at).getTime()]));
  }

  /**
   * The stock of every SKU (at the location, or all) over event time: for each SKU its stock just
   * before `from`, then after each change in [from, to). A line stores its effect on the stock in the
   * order the live state applied events, which across shards is not event-time order; the effects are
   * added up in event-time order (the stock after every event stored by `to` is then exact, and a late
   * event counts from its own time). The opening stock is the per-day sums before `from`'s UTC day
   * plus that day's lines before `from`, so only the range's lines are read one by one.
   */
  async stockSteps(range: TimeRange, location: string | null): Promise<StockStep[]> {
    const where = location === null ? '' : ' AND location = ?';
    const scope = location === null ? [] : [location];
    const day = new Date(Math.floor(range.from / DAY_MS) * DAY_MS);
    type Row = { sku: string; location: string; occurred_at: Date; on_hand: string; committed: string };
    const opening = await this.dataSource.query<Row[]>(
      `SELECT sku, location, MAX(occurred_at) AS occurred_at, SUM(on_hand) AS on_hand, SUM(committed) AS committed
       FROM (SELECT sku, location, last_at AS occurred_at, on_hand, committed FROM stock_day_deltas
             WHERE day_at < ?${where}
             UNION ALL
             SELECT sku, location, occurred_at, on_hand_delta, committed_delta FROM inventory_event_lines
             WHERE occurred_at >= ? AND occurred_at < ?${where}) before_range
       GROUP BY sku, location`,
      [day, ...scope, day, new Date(range.from), ...scope],
    );
    const changes = await this.dataSource.query<Row[]>(
      `SELECT sku, location, occurred_at, on_hand_delta AS on_hand, committed_delta AS committed
       FROM inventory_event_lines WHERE occurred_at >= ? AND occurred_at < ?${where} ORDER BY occurred_at, id`,
      [new Date(range.from), new Date(range.to), ...scope],
    );
    const stock = new Map<string, { onHand: number; committed: number }>();
    const steps: StockStep[] = [];
    for (const row of [...opening, ...changes]) {
      const key = `${row.location}\u0000${row.sku}`;
      const before = stock.get(key) ?? { onHand: 0, committed: 0 };
      const after = {
        onHand: before.onHand + Number(row.on_hand),
        committed: before.committed + Number(row.committed),
      };
      stock.set(key, after);
      steps.push({ sku: row.sku, location: row.location, at: new Date(row.occurred_at).getTime(), ...after });
    }
    return steps;
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
       ORDER BY l.occurred_at, e.apply_version, l.id`,
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

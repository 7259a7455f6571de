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

interface OrderLinePayload {
  quantity: number;
  unitPriceCents?: number;
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
   * (from the stored event's lines). Reads the stored events, so it covers the raw-event retention.
   */
  async customerOrders(to: number, scope: SalesScope): Promise<CustomerOrder[]> {
    const filter = scopeFilter(scope);
    const rows = await this.dataSource.query<
      { customer_hash: string; occurred_at: Date; payload: string | { lines?: OrderLinePayload[] } }[]
    >(
      `SELECT customer_hash, occurred_at, payload FROM inventory_events
       WHERE customer_hash IS NOT NULL AND event_type = 'order_placed' AND occurred_at < ?${filter.sql}
       ORDER BY occurred_at, id`,
      [new Date(to), ...filter.parameters],
    );
    return rows.map((row) => {
      const payload =
        typeof row.payload === 'string' ? (JSON.parse(row.payload) as { lines?: OrderLinePayload[] }) : row.payload;
      // The order's revenue as the fold counts it: quantity × unit price of each line.
      const revenueCents = (payload.lines ?? []).reduce(
        (sum, line) => sum + line.quantity * (line.unitPriceCents ?? 0),
        0,
      );
      return { customerHash: row.customer_hash, at: new Date(row.occurred_at).getTime(), revenueCents };
    });
  }

  /**
   * The stock of every SKU (at the location, or all) over event time: for each SKU its stock just
   * before `from`, then after each change in [from, to). A line stores the stock after its event in
   * the order the live state applied events, which across shards is not event-time order; so each
   * line's effect is its stock minus the one after the SKU's previous line in apply order, and the
   * effects are added up in event-time order (the stock after every event stored by `to` is then
   * exact, and a late event counts from its own time).
   */
  async stockSteps(range: TimeRange, location: string | null): Promise<StockStep[]> {
    const where = location === null ? '' : 'WHERE l.location = ?';
    const parameters = location === null ? [] : [location];
    const effects = `WITH effects AS (
        SELECT l.sku, l.location, l.occurred_at, l.id, e.apply_version,
          l.on_hand_after - COALESCE(LAG(l.on_hand_after) OVER apply_order, 0) AS on_hand,
          l.committed_after - COALESCE(LAG(l.committed_after) OVER apply_order, 0) AS committed
        FROM inventory_event_lines l JOIN inventory_events e ON e.event_id = l.event_id ${where}
        WINDOW apply_order AS (PARTITION BY l.sku, l.location ORDER BY e.apply_version, l.id))`;
    type Row = { sku: string; location: string; occurred_at: Date; on_hand: string; committed: string };
    const opening = await this.dataSource.query<Row[]>(
      `${effects} SELECT sku, location, MAX(occurred_at) AS occurred_at, SUM(on_hand) AS on_hand,
         SUM(committed) AS committed FROM effects WHERE occurred_at < ? GROUP BY sku, location`,
      [...parameters, new Date(range.from)],
    );
    const changes = await this.dataSource.query<Row[]>(
      `${effects} SELECT sku, location, occurred_at, on_hand, committed FROM effects
       WHERE occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at, apply_version, id`,
      [...parameters, new Date(range.from), new Date(range.to)],
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

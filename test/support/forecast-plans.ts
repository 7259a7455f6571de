import { resolve } from 'node:path';
import type { Role, WireEvent } from '@stockwall/contracts';
import { aFulfilment, anOrder, aProductAdded, aProductRemoved, aRestock } from '../factories/wire-events';
import { DATASETS_DIR } from './datasets';
import type { TestStack } from './test-stack';

/**
 * The SKUs the forecast tests put through the pipeline (each a plan of stock, restocks and daily
 * sales) and what each forecast must be, computed here from the events put with the documented
 * formulas, never through the aggregation code.
 */
export const SUPPLIERS = resolve(DATASETS_DIR, 'suppliers');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const T0 = Date.UTC(2024, 2, 1);
export const at = (day: number, hour: number) => T0 + day * DAY + hour * HOUR;
export const iso = (time: number) => new Date(time).toISOString();
// The defaults the stack runs with: SELL_RATE_DECAY_HOURS 24, SAFETY_STOCK_Z 1.65, FORECAST_MIN_HISTORY_DAYS 7.
export const DECAY_MS = 24 * HOUR;
export const SAFETY_Z = 1.65;
export const MIN_HISTORY_DAYS = 7;

export interface Plan {
  sku: string;
  location: string;
  opening: number;
  explicitReorderPoint?: number;
  restock?: { quantity: number; supplier: string };
  /** Units sold on each day from day 0 (0: no sale that day), at `saleHour`. */
  daily: number[];
  saleHour: number;
  discontinued?: boolean;
  /** The lead time the test expects the SKU to use (from the supplier of its restock). */
  leadTimeDays: number | null;
}

export const PLANS: Plan[] = [
  // Vendor 480 (BACARDI USA INC) has a median PODate → InvoiceDate of 17 days in the purchasing sample.
  {
    sku: 'FA',
    location: 'main',
    opening: 0,
    restock: { quantity: 300, supplier: '480' },
    daily: [12, 8, 10, 15, 9, 11, 7, 13, 10, 4, 6],
    saleHour: 10,
    leadTimeDays: 17,
  },
  // ACME-9 gets 4.5 days over REST; day 6 has no sale and counts as a zero.
  {
    sku: 'FB',
    location: 'main',
    opening: 0,
    restock: { quantity: 120, supplier: 'ACME-9' },
    daily: [3, 4, 2, 5, 3, 4, 0, 2, 4, 3, 2],
    saleHour: 11,
    leadTimeDays: 4.5,
  },
  {
    sku: 'FC',
    location: 'main',
    opening: 80,
    explicitReorderPoint: 30,
    restock: { quantity: 50, supplier: '480' },
    daily: [6, 5, 7, 6, 4, 8, 6, 5, 7, 6, 5],
    saleHour: 9,
    leadTimeDays: 17,
  },
  { sku: 'FD', location: 'main', opening: 40, daily: [], saleHour: 0, leadTimeDays: null },
  {
    sku: 'FE',
    location: 'north',
    opening: 25,
    daily: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5],
    saleHour: 9,
    leadTimeDays: null,
  },
  { sku: 'FF', location: 'main', opening: 10, daily: [], saleHour: 0, discontinued: true, leadTimeDays: null },
  // A supplier without a lead time on record: no computed reorder point despite ten days of history.
  {
    sku: 'FG',
    location: 'main',
    opening: 60,
    restock: { quantity: 40, supplier: 'NO-SUCH-SUPPLIER' },
    daily: [2, 3, 2, 4, 3, 2, 3, 2, 4, 3, 1],
    saleHour: 8,
    leadTimeDays: null,
  },
  { sku: 'FH', location: 'main', opening: 5, daily: [], saleHour: 0, leadTimeDays: null },
];

export function sales(plan: Plan): { time: number; units: number }[] {
  return plan.daily.flatMap((units, day) => (units > 0 ? [{ time: at(day, plan.saleHour), units }] : []));
}

export function eventsOf(plan: Plan): { time: number; event: WireEvent }[] {
  const { sku, location } = plan;
  const events: { time: number; event: WireEvent }[] = [
    {
      time: T0,
      event: aProductAdded({
        id: `${sku}-added`,
        location,
        sku,
        name: `Forecast ${sku}`,
        quantity: plan.opening,
        at: iso(T0),
        unitCost: '2.00',
        reorderPoint: plan.explicitReorderPoint,
      }),
    },
  ];
  if (plan.restock) {
    events.push({
      time: at(0, 1),
      event: aRestock({
        id: `${sku}-restock`,
        occurredAt: iso(at(0, 1)),
        location,
        sku,
        quantity: plan.restock.quantity,
        unitCost: '2.00',
        supplierId: plan.restock.supplier,
      }),
    });
  }
  if (plan.discontinued) {
    events.push({
      time: at(0, 2),
      event: aProductRemoved({ id: `${sku}-removed`, location, sku, at: iso(at(0, 2)) }),
    });
  }
  for (const [index, sale] of sales(plan).entries()) {
    const lines = [{ sku, quantity: sale.units, unit_price: '5.00' }];
    const order = { occurredAt: iso(sale.time), location, orderId: `${sku}-O${index}`, lines };
    events.push(
      { time: sale.time, event: anOrder({ id: `${sku}-O${index}-p`, ...order }) },
      { time: sale.time, event: aFulfilment({ id: `${sku}-O${index}-f`, ...order }) },
    );
  }
  return events;
}

export const TIMED_EVENTS = PLANS.flatMap(eventsOf).sort((left, right) => left.time - right.time);
export const WATERMARK = Math.max(...TIMED_EVENTS.map((entry) => entry.time));

/** The forecast of a plan at the watermark, from the documented definitions. */
export function expected(plan: Plan) {
  const sold = sales(plan);
  const available = plan.discontinued
    ? 0
    : plan.opening + (plan.restock?.quantity ?? 0) - sold.reduce((sum, sale) => sum + sale.units, 0);
  // The decayed rate in closed form: each sale adds units / τ hours, decayed by e^(−age/τ).
  const rate = sold.reduce(
    (sum, sale) => sum + (sale.units / (DECAY_MS / HOUR)) * Math.exp(-(WATERMARK - sale.time) / DECAY_MS),
    0,
  );
  // Completed days: from the first sale's day up to (not including) the last sale's day.
  const completed =
    sold.length === 0
      ? []
      : plan.daily.slice(
          plan.daily.findIndex((units) => units > 0),
          plan.daily.length - 1,
        );
  const mean = completed.reduce((sum, units) => sum + units, 0) / completed.length;
  const sigma = Math.sqrt(completed.reduce((sum, units) => sum + (units - mean) ** 2, 0) / completed.length);
  const lead = plan.leadTimeDays;
  const computed =
    lead !== null && completed.length >= MIN_HISTORY_DAYS
      ? Math.ceil(mean * lead + SAFETY_Z * sigma * Math.sqrt(lead))
      : null;
  const runOut = rate > 0 ? WATERMARK + Math.round((available / rate) * HOUR) : null;
  return {
    sku: plan.sku,
    location: plan.location,
    available,
    rate,
    daysOfCover: rate > 0 ? available / (rate * 24) : null,
    runOut,
    reorderPoint: plan.explicitReorderPoint ?? computed,
    reorderPointSource: plan.explicitReorderPoint !== undefined ? 'explicit' : computed !== null ? 'computed' : null,
    leadTimeDays: lead,
    historyDays: completed.length,
    lastSaleAt: sold.length === 0 ? null : iso(sold[sold.length - 1].time),
    active: !plan.discontinued,
  };
}

export function expectForecast(actual: any, plan: Plan) {
  const want = expected(plan);
  expect(actual).toMatchObject({
    sku: want.sku,
    location: want.location,
    name: `Forecast ${plan.sku}`,
    active: want.active,
    available: want.available,
    lastSaleAt: want.lastSaleAt,
    reorderPoint: want.reorderPoint,
    reorderPointSource: want.reorderPointSource,
    leadTimeDays: want.leadTimeDays,
    historyDays: want.historyDays,
  });
  expect(actual.sellRatePerHour).toBeCloseTo(want.rate, 5);
  if (want.daysOfCover === null) expect(actual.daysOfCover).toBeNull();
  else expect(actual.daysOfCover).toBeCloseTo(want.daysOfCover, 5);
  if (want.runOut === null) expect(actual.projectedRunOutAt).toBeNull();
  // The stored rate went through the per-batch recurrence: allow a millisecond of rounding.
  else expect(Math.abs(Date.parse(actual.projectedRunOutAt) - want.runOut)).toBeLessThanOrEqual(1);
}

/** Active SKUs in run-out order: soonest first, SKUs that never sold last, then by SKU and location. */
export function expectedOrder(location?: string): string[] {
  return PLANS.filter((plan) => !plan.discontinued && (location === undefined || plan.location === location))
    .map(expected)
    .sort(
      (left, right) =>
        (left.runOut ?? Infinity) - (right.runOut ?? Infinity) ||
        (left.sku < right.sku ? -1 : left.sku > right.sku ? 1 : 0) ||
        (left.location < right.location ? -1 : 1),
    )
    .map((forecast) => forecast.sku);
}

/** A call to the API as `role` (none: no token); the body is parsed JSON, or null when empty. */
export async function sendAs(stack: TestStack, method: string, path: string, role: Role | null, body?: unknown) {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: {
      ...(role ? { authorization: `Bearer ${stack.token(role)}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

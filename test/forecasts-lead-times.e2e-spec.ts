import { resolve } from 'node:path';
import type { WireEvent } from '@stockwall/contracts';
import { loadLeadTimes } from '../apps/cli/src/commands/lead-times.command';
import { DATASETS_DIR } from './support/datasets';
import { eventually, TestStack } from './support/test-stack';

/**
 * Supplier lead times (loaded from the real purchasing sample and set over REST) and the forecast
 * endpoints, through Kinesis, a worker and Redis. Every expected figure is computed here from the
 * events put, with the documented formulas, never through the aggregation code.
 */
const SUPPLIERS = resolve(DATASETS_DIR, 'suppliers');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2024, 2, 1);
const at = (day: number, hour: number) => T0 + day * DAY + hour * HOUR;
const iso = (time: number) => new Date(time).toISOString();
// The defaults the stack runs with: SELL_RATE_DECAY_HOURS 24, SAFETY_STOCK_Z 1.65, FORECAST_MIN_HISTORY_DAYS 7.
const DECAY_MS = 24 * HOUR;
const SAFETY_Z = 1.65;
const MIN_HISTORY_DAYS = 7;

interface Plan {
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

const PLANS: Plan[] = [
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

function sales(plan: Plan): { time: number; units: number }[] {
  return plan.daily.flatMap((units, day) => (units > 0 ? [{ time: at(day, plan.saleHour), units }] : []));
}

function eventsOf(plan: Plan): { time: number; event: WireEvent }[] {
  const { sku, location } = plan;
  const events: { time: number; event: WireEvent }[] = [
    {
      time: T0,
      event: {
        event_type: 'product_added',
        event_id: `${sku}-added`,
        location,
        product: {
          product_id: sku,
          product_name: `Forecast ${sku}`,
          quantity: plan.opening,
          timestamp: iso(T0),
          unit_cost: '2.00',
          ...(plan.explicitReorderPoint === undefined ? {} : { reorder_point: plan.explicitReorderPoint }),
        },
      },
    },
  ];
  if (plan.restock) {
    events.push({
      time: at(0, 1),
      event: {
        event_type: 'restock_received',
        event_id: `${sku}-restock`,
        occurred_at: iso(at(0, 1)),
        location,
        sku,
        quantity: plan.restock.quantity,
        unit_cost: '2.00',
        supplier_id: plan.restock.supplier,
      },
    });
  }
  if (plan.discontinued) {
    events.push({
      time: at(0, 2),
      event: {
        event_type: 'product_removed',
        event_id: `${sku}-removed`,
        location,
        product: { product_id: sku, timestamp: iso(at(0, 2)) },
      },
    });
  }
  for (const [index, sale] of sales(plan).entries()) {
    const lines = [{ sku, quantity: sale.units, unit_price: '5.00' }];
    const common = { occurred_at: iso(sale.time), location, order_id: `${sku}-O${index}`, lines };
    events.push(
      { time: sale.time, event: { event_type: 'order_placed', event_id: `${sku}-O${index}-p`, ...common } },
      { time: sale.time, event: { event_type: 'order_fulfilled', event_id: `${sku}-O${index}-f`, ...common } },
    );
  }
  return events;
}

const TIMED_EVENTS = PLANS.flatMap(eventsOf).sort((left, right) => left.time - right.time);
const WATERMARK = Math.max(...TIMED_EVENTS.map((entry) => entry.time));

/** The forecast of a plan at the watermark, from the documented definitions. */
function expected(plan: Plan) {
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

function expectForecast(actual: any, plan: Plan) {
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
function expectedOrder(location?: string): string[] {
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

describe('Supplier lead times and forecasts through the whole pipeline', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // The listing is polled until the worker has applied everything: keep the rate limit out of the way.
    stack = await TestStack.start({ shards: 2, env: { RATE_LIMIT_MAX: '100000' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function send(method: string, path: string, role: 'viewer' | 'warehouse' | 'admin' | null, body?: unknown) {
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

  it('loads the real purchasing sample: one median lead time for each of its 126 vendors', async () => {
    const summary = await loadLeadTimes(stack.config, resolve(SUPPLIERS, 'InvoicePurchases12312016.csv'));
    expect(summary).toMatchObject({ format: 'invoice-purchases', rows: 5_543, rejected: [], outOfBounds: [] });
    expect(summary.loadedInto).toBe(`${stack.config.redis.prefix}supplier-lead-times`);
    expect(summary.leadTimes).toHaveLength(126);
    // Every order of the sample took 9-23 days, so every median lies there too.
    for (const leadTime of summary.leadTimes) {
      expect(leadTime.days).toBeGreaterThanOrEqual(9);
      expect(leadTime.days).toBeLessThanOrEqual(23);
    }
    const byVendor = new Map(summary.leadTimes.map((leadTime) => [leadTime.supplierId, leadTime]));
    expect(byVendor.get('480')).toMatchObject({ supplierName: 'BACARDI USA INC', days: 17, orders: 55 });
    expect(byVendor.get('105')).toMatchObject({ supplierName: 'ALTAMAR BRANDS LLC', days: 16.5, orders: 40 });
    expect(byVendor.get('3950')).toMatchObject({ supplierName: 'HOOD RIVER DISTILLERS, Inc.', orders: 36 });
    expect(byVendor.get('201359')).toMatchObject({ days: 22, orders: 1 });

    const stored = await stack.infrastructure.redis.hgetall(`${stack.config.redis.prefix}supplier-lead-times`);
    expect(Object.keys(stored)).toHaveLength(126);
    expect(stored['480']).toBe('17');
    expect(stored['105']).toBe('16.5');

    // The supply-chain sample: five suppliers, from its `Lead time` column (not `Lead times`); a dry run loads nothing.
    const supplyChain = await loadLeadTimes(stack.config, resolve(SUPPLIERS, 'supply_chain_data.csv'), {
      dryRun: true,
    });
    expect(supplyChain).toMatchObject({ format: 'supply-chain', rows: 100, rejected: [], loadedInto: null });
    expect(supplyChain.leadTimes.map(({ supplierId, days }) => [supplierId, days])).toEqual([
      ['Supplier 1', 14],
      ['Supplier 2', 21],
      ['Supplier 3', 23],
      ['Supplier 4', 16],
      ['Supplier 5', 21],
    ]);
    expect(
      await stack.infrastructure.redis.hexists(`${stack.config.redis.prefix}supplier-lead-times`, 'Supplier 1'),
    ).toBe(0);
  });

  it('sets, lists and removes lead times over REST, admin only for writes', async () => {
    const put = await send('PUT', '/api/v1/suppliers/ACME-9/lead-time', 'admin', { days: 4.5 });
    expect(put).toEqual({ status: 200, body: { supplierId: 'ACME-9', days: 4.5 } });

    const all: { supplierId: string; days: number }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
      const page = await send('GET', `/api/v1/suppliers/lead-times${query}`, 'viewer');
      expect(page.status).toBe(200);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    expect(all).toHaveLength(127);
    expect(new Set(all.map((entry) => entry.supplierId)).size).toBe(127);
    expect(all).toContainEqual({ supplierId: 'ACME-9', days: 4.5 });
    expect(all).toContainEqual({ supplierId: '480', days: 17 });

    const csv = await fetch(`${stack.apiUrl}/api/v1/suppliers/lead-times?limit=2`, {
      headers: { authorization: `Bearer ${stack.token('viewer')}`, accept: 'text/csv' },
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines).toEqual([
      'supplierId,days',
      `${all[0].supplierId},${all[0].days}`,
      `${all[1].supplierId},${all[1].days}`,
    ]);
    expect(csv.headers.get('x-next-cursor')).toBe(all[1].supplierId);

    expect((await send('PUT', '/api/v1/suppliers/TEMP-1/lead-time', 'admin', { days: 365 })).status).toBe(200);
    expect((await send('DELETE', '/api/v1/suppliers/TEMP-1/lead-time', 'admin')).status).toBe(204);
    const again = await send('DELETE', '/api/v1/suppliers/TEMP-1/lead-time', 'admin');
    expect(again.status).toBe(404);
    expect(again.body.message).toMatch(/TEMP-1/);

    expect((await send('PUT', '/api/v1/suppliers/ACME-9/lead-time', 'viewer', { days: 1 })).status).toBe(403);
    expect((await send('PUT', '/api/v1/suppliers/ACME-9/lead-time', 'warehouse', { days: 1 })).status).toBe(403);
    expect((await send('PUT', '/api/v1/suppliers/ACME-9/lead-time', null, { days: 1 })).status).toBe(401);
    expect((await send('DELETE', '/api/v1/suppliers/ACME-9/lead-time', 'warehouse')).status).toBe(403);
    expect((await send('GET', '/api/v1/suppliers/lead-times', null)).status).toBe(401);
    // None of the refused writes changed it.
    expect(await stack.infrastructure.redis.hget(`${stack.config.redis.prefix}supplier-lead-times`, 'ACME-9')).toBe(
      '4.5',
    );
  });

  it.each([
    [{ days: 0 }, /days: must be more than 0/],
    [{ days: -3 }, /days: must be more than 0/],
    [{ days: 366 }, /days: must be at most 365/],
    [{ days: '10' }, /days: must be a number of days/],
    [{}, /days: Required/],
    [{ days: 5, supplier: 'x' }, /Unrecognized key/],
  ])('refuses the lead time %j with a 400 naming the problem', async (body, message) => {
    const response = await send('PUT', '/api/v1/suppliers/ACME-9/lead-time', 'admin', body);
    expect(response.status).toBe(400);
    expect([response.body.message].flat().join(' ')).toMatch(message);
  });

  it('refuses a supplier id that is too long or holds control characters', async () => {
    const long = await send('PUT', `/api/v1/suppliers/${'x'.repeat(129)}/lead-time`, 'admin', { days: 3 });
    expect(long.status).toBe(400);
    expect([long.body.message].flat().join(' ')).toMatch(/128/);
    expect((await send('PUT', '/api/v1/suppliers/a%01b/lead-time', 'admin', { days: 3 })).status).toBe(400);
  });

  it('serves each SKU’s decayed sell rate, cover, run-out and reorder point in run-out order', async () => {
    await stack.publish(...TIMED_EVENTS.map((entry) => entry.event));
    const listing = await eventually(
      async () => {
        const response = await send('GET', '/api/v1/forecasts?limit=1000', 'viewer');
        const items: any[] = response.body?.items ?? [];
        // Final stock and the last sale counted in the rate (an order's fulfilment may follow its placing a batch later).
        const applied =
          response.body?.asOf === iso(WATERMARK) &&
          !items.some((item) => item.sku === 'FF') &&
          PLANS.filter((plan) => !plan.discontinued).every((plan) =>
            items.some(
              (item) =>
                item.sku === plan.sku &&
                item.available === expected(plan).available &&
                item.lastSaleAt === expected(plan).lastSaleAt,
            ),
          );
        return applied ? response.body : undefined;
      },
      30_000,
      'every SKU at its final stock in /forecasts',
    );
    expect(listing.nextCursor).toBeNull();
    expect(listing.items.map((item: any) => item.sku)).toEqual(expectedOrder());
    for (const plan of PLANS.filter((candidate) => !candidate.discontinued)) {
      expectForecast(
        listing.items.find((item: any) => item.sku === plan.sku),
        plan,
      );
    }
    // The cases the plans are there for, spelled out.
    const bySku = new Map<string, any>(listing.items.map((item: any) => [item.sku, item]));
    expect(bySku.get('FA')).toMatchObject({ reorderPointSource: 'computed', leadTimeDays: 17 });
    expect(bySku.get('FB')).toMatchObject({ reorderPointSource: 'computed', leadTimeDays: 4.5 });
    expect(bySku.get('FA').reorderPoint).toBeGreaterThan(bySku.get('FB').reorderPoint);
    expect(bySku.get('FC')).toMatchObject({ reorderPoint: 30, reorderPointSource: 'explicit' });
    expect(bySku.get('FG')).toMatchObject({ reorderPoint: null, reorderPointSource: null, historyDays: 10 });
    expect(bySku.get('FD')).toMatchObject({ sellRatePerHour: 0, daysOfCover: null, projectedRunOutAt: null });
    expect(bySku.has('FF')).toBe(false);

    const north = await send('GET', '/api/v1/forecasts?location=north', 'viewer');
    expect(north.body.items.map((item: any) => item.sku)).toEqual(expectedOrder('north'));
    expect(north.body.items).toHaveLength(1);
    const main = await send('GET', '/api/v1/forecasts?location=main', 'viewer');
    expect(main.body.items.map((item: any) => item.sku)).toEqual(expectedOrder('main'));
  });

  it('serves one SKU’s forecast per location, discontinued ones included', async () => {
    const fa = await send('GET', '/api/v1/stock/FA/forecast', 'viewer');
    expect(fa.status).toBe(200);
    expect(fa.body).toMatchObject({ sku: 'FA', asOf: iso(WATERMARK) });
    expect(fa.body.locations).toHaveLength(1);
    expectForecast(
      fa.body.locations[0],
      PLANS.find((plan) => plan.sku === 'FA')!,
    );

    const fe = await send('GET', '/api/v1/stock/FE/forecast?location=north', 'viewer');
    expectForecast(
      fe.body.locations[0],
      PLANS.find((plan) => plan.sku === 'FE')!,
    );
    const ff = await send('GET', '/api/v1/stock/FF/forecast', 'viewer');
    expect(ff.body.locations).toEqual([expect.objectContaining({ sku: 'FF', active: false, available: 0 })]);

    const elsewhere = await send('GET', '/api/v1/stock/FE/forecast?location=main', 'viewer');
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.message).toMatch(/FE at main/);
    expect((await send('GET', '/api/v1/stock/NOPE/forecast', 'viewer')).status).toBe(404);
    expect((await send('GET', '/api/v1/stock/FA/forecast?location=..%2Fx', 'viewer')).status).toBe(400);
    expect((await send('GET', '/api/v1/stock/FA/forecast?colour=red', 'viewer')).status).toBe(400);
    expect((await send('GET', '/api/v1/stock/FA/forecast', null)).status).toBe(401);
  });

  it('pages with nextCursor without gaps or repeats, and answers text/csv', async () => {
    const skus: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await send('GET', `/api/v1/forecasts?limit=2${query}`, 'viewer');
      expect(page.status).toBe(200);
      expect(page.body.asOf).toBe(iso(WATERMARK));
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      skus.push(...page.body.items.map((item: any) => item.sku));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(skus).toEqual(expectedOrder());
    expect(pages).toBe(Math.ceil(expectedOrder().length / 2));

    const json = await send('GET', '/api/v1/forecasts?limit=3', 'viewer');
    const csv = await fetch(`${stack.apiUrl}/api/v1/forecasts?limit=3`, {
      headers: { authorization: `Bearer ${stack.token('viewer')}`, accept: 'text/csv' },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('x-next-cursor')).toBe(json.body.nextCursor);
    const [header, ...rows] = (await csv.text()).trim().split('\r\n');
    const columns = header.split(',');
    expect(columns).toEqual(
      expect.arrayContaining(['sku', 'location', 'sellRatePerHour', 'projectedRunOutAt', 'reorderPointSource']),
    );
    expect(rows.map((row) => row.split(',')[columns.indexOf('sku')])).toEqual(expectedOrder().slice(0, 3));
    expect(rows.map((row) => row.split(',')[columns.indexOf('projectedRunOutAt')])).toEqual(
      json.body.items.map((item: any) => item.projectedRunOutAt ?? ''),
    );
  });

  it.each([
    ['limit=0', /limit/],
    ['limit=1001', /limit/],
    ['limit=ten', /limit/],
    ['location=..%2Fx', /location: must be a location code/],
    ['cursor=not-a-cursor', /cursor: must be a nextCursor of this listing/],
    ['colour=red', /Unrecognized key/],
  ])('refuses /forecasts?%s with a 400 naming the field', async (query, message) => {
    const response = await send('GET', `/api/v1/forecasts?${query}`, 'viewer');
    expect(response.status).toBe(400);
    expect([response.body.message].flat().join(' ')).toMatch(message);
  });

  it('documents the forecast and lead-time routes in the OpenAPI document', async () => {
    const document = (await (await fetch(`${stack.apiUrl}/api/docs-json`)).json()) as { paths: Record<string, any> };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/forecasts',
        '/api/v1/stock/{sku}/forecast',
        '/api/v1/suppliers/lead-times',
        '/api/v1/suppliers/{supplierId}/lead-time',
      ]),
    );
    const put = document.paths['/api/v1/suppliers/{supplierId}/lead-time'].put;
    expect(put.requestBody.content['application/json'].schema).toMatchObject({
      required: ['days'],
      properties: { days: { type: 'number', maximum: 365 } },
    });
    expect(document.paths['/api/v1/forecasts'].get.parameters.map((parameter: any) => parameter.name)).toEqual(
      expect.arrayContaining(['location', 'limit', 'cursor']),
    );
  });

  it('needs a token for /forecasts and accepts every role from viewer up', async () => {
    expect((await send('GET', '/api/v1/forecasts', null)).status).toBe(401);
    const forged = await fetch(`${stack.apiUrl}/api/v1/forecasts`, {
      headers: { authorization: 'Bearer not-a-token' },
    });
    expect(forged.status).toBe(401);
    for (const role of ['viewer', 'warehouse', 'admin'] as const) {
      expect((await send('GET', '/api/v1/forecasts?limit=1', role)).status).toBe(200);
    }
  });
});

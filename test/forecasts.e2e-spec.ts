import { resolve } from 'node:path';
import type { Role } from '@stockwall/contracts';
import { loadLeadTimes } from '../apps/cli/src/commands/lead-times.command';
import {
  expected,
  expectedOrder,
  expectForecast,
  iso,
  PLANS,
  sendAs,
  SUPPLIERS,
  TIMED_EVENTS,
  WATERMARK,
} from './support/forecast-plans';
import { eventually, TestStack } from './support/test-stack';

/**
 * The forecast endpoints through Kinesis, a worker and Redis: each SKU's decayed sell rate, cover,
 * run-out and reorder point, with the supplier lead times of its restocks (the purchasing sample's
 * 17 days for vendor 480, 4.5 days set over REST for ACME-9).
 */
describe('Forecasts through the whole pipeline', () => {
  let stack: TestStack;
  const send = (method: string, path: string, role: Role | null, body?: unknown) =>
    sendAs(stack, method, path, role, body);

  beforeAll(async () => {
    // The listing is polled until the worker has applied everything: keep the rate limit out of the way.
    stack = await TestStack.start({ shards: 2, env: { RATE_LIMIT_MAX: '100000' } });
    await loadLeadTimes(stack.config, resolve(SUPPLIERS, 'InvoicePurchases12312016.csv'));
    expect((await send('PUT', '/api/v1/suppliers/ACME-9/lead-time', 'admin', { days: 4.5 })).status).toBe(200);
  });

  afterAll(async () => {
    await stack?.stop();
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

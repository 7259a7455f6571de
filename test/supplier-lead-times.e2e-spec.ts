import { resolve } from 'node:path';
import type { Role } from '@stockwall/contracts';
import { loadLeadTimes } from '../apps/cli/src/commands/lead-times.command';
import { sendAs, SUPPLIERS } from './support/forecast-plans';
import { TestStack } from './support/test-stack';

/** Supplier lead times: loaded from the real purchasing sample, and set, listed and removed over REST. */
describe('Supplier lead times', () => {
  let stack: TestStack;
  const send = (method: string, path: string, role: Role | null, body?: unknown) =>
    sendAs(stack, method, path, role, body);

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 2, env: { RATE_LIMIT_MAX: '100000' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

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
});

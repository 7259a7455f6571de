import { toCents } from '@stockwall/contracts';
import { pruneEvents, snapshotStock } from '@stockwall/persistence';
import { reconcile } from '../apps/cli/src/commands/reconcile.command';
import { historyDay } from './support/history-events';
import { eventually, TestStack } from './support/test-stack';

const FROM = '2024-03-01T09:00:00Z';
const TO = '2024-03-01T10:00:00Z';

describe('History API: rollups, product history, alerts, reports, CSV and paging', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 1 });
    await stack.publish(...historyDay('H'));
    const report = await reconcile(stack.config, 30);
    expect(report.drift).toEqual([]);
    // Nothing was skipped: stock and both windows were compared.
    expect(report.notes).toEqual([]);
    expect(report.windows).toEqual(['1h', '24h']);
    await eventually(async () =>
      (await stack.get(`/api/v1/alerts?from=${FROM}&to=${TO}`)).body.items?.length > 0 ? true : undefined,
    );
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const fetchAs = (path: string, init: RequestInit & { role?: 'viewer' | 'warehouse' | 'admin' } = {}) =>
    fetch(`${stack.apiUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${stack.token(init.role ?? 'viewer')}`, ...(init.headers ?? {}) },
    });

  it('answers kpis/history per minute and per hour with the live 24h totals to the cent', async () => {
    const live = (await stack.get('/api/v1/kpis/live?window=24h')).body;
    const minutes = await stack.get(`/api/v1/kpis/history?from=${FROM}&to=${TO}&interval=1m`);
    expect(minutes.status).toBe(200);
    expect(minutes.body.items).toHaveLength(60);
    const sum = (items: { revenue: string; cogs: string; orders: number; units: number }[]) =>
      items.reduce(
        (total, item) => ({
          orders: total.orders + item.orders,
          units: total.units + item.units,
          revenue: total.revenue + toCents(item.revenue)!,
          cogs: total.cogs + toCents(item.cogs)!,
        }),
        { orders: 0, units: 0, revenue: 0, cogs: 0 },
      );
    const expected = {
      orders: live.orders,
      units: live.units,
      revenue: toCents(live.revenue),
      cogs: toCents(live.cogs),
    };
    // 3 + 2 units at 2.50/1.80, 14 at 2.40, 1 returned at 2.50; o3 placed and cancelled.
    expect(expected).toEqual({ orders: 3, units: 18, revenue: 750 + 360 + 3360 - 250, cogs: expect.any(Number) });
    expect(sum(minutes.body.items)).toEqual(expected);
    expect(minutes.body.items[0]).toMatchObject({ from: '2024-03-01T09:00:00.000Z', orders: 1, revenue: '11.10' });
    expect(minutes.body.items[0].averageOrderValue).toBe('11.10');

    const hours = await stack.get(`/api/v1/kpis/history?from=${FROM}&to=2024-03-01T12:00:00Z&interval=1h`);
    expect(hours.body.items.map((item: { orders: number }) => item.orders)).toEqual([3, 0, 0]);
    expect(sum(hours.body.items)).toEqual(expected);
    expect(hours.body.items[0].grossMargin).toBe(live.grossMargin);

    const web = await stack.get(`/api/v1/kpis/history?from=${FROM}&to=${TO}&interval=1h&source=web`);
    expect(web.body.items[0]).toMatchObject({ orders: 2, revenue: '8.60' });
  });

  it('pages series with a cursor and returns CSV for Accept: text/csv', async () => {
    const first = await stack.get(`/api/v1/kpis/history?from=${FROM}&to=${TO}&interval=1m&limit=2`);
    expect(first.body.items.map((item: { from: string }) => item.from)).toEqual([
      '2024-03-01T09:00:00.000Z',
      '2024-03-01T09:01:00.000Z',
    ]);
    expect(first.body.nextCursor).toBe('2024-03-01T09:02:00.000Z');
    const second = await stack.get(
      `/api/v1/kpis/history?from=${FROM}&to=${TO}&interval=1m&limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items[0]).toMatchObject({ from: '2024-03-01T09:02:00.000Z', orders: 1, revenue: '-2.50' });

    const csv = await fetchAs(`/api/v1/kpis/history?from=${FROM}&to=${TO}&interval=1m&limit=3`, {
      headers: { accept: 'text/csv' },
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('x-next-cursor')).toBe('2024-03-01T09:03:00.000Z');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'from,to,orders,units,revenue,averageOrderValue,cogs,grossMargin,grossMarginRate,cogsToRevenue,' +
        'averageInventoryValue,inventoryTurnover,stockoutRate,newCustomers,returningCustomers',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^2024-03-01T09:00:00.000Z,2024-03-01T09:01:00.000Z,1,5,11.10,11.10,/);
  });

  it('shows a product’s stock after every event that moved it, paged, and its snapshots', async () => {
    const first = await stack.get(`/api/v1/products/H-A/history?from=${FROM}&to=${TO}&limit=4`);
    expect(first.status).toBe(200);
    expect(
      first.body.items.map((item: { eventType: string; onHand: number }) => [item.eventType, item.onHand]),
    ).toEqual([
      ['product_added', 10],
      ['restock_received', 20],
      ['order_placed', 20],
      ['order_fulfilled', 17],
    ]);
    const rest = await stack.get(`/api/v1/products/H-A/history?from=${FROM}&to=${TO}&cursor=${first.body.nextCursor}`);
    expect(rest.body.items.map((item: { onHand: number; committed: number }) => [item.onHand, item.committed])).toEqual(
      [
        [17, 14],
        [3, 0],
        [4, 0],
      ],
    );
    expect(rest.body.nextCursor).toBeNull();
    const live = (await stack.get('/api/v1/stock/H-A')).body;
    expect(rest.body.items[2].onHand).toBe(live.onHand);
    // 3 shipped at the moving average of 10 @ 1.00 and 10 @ 2.01 (1.51).
    expect(first.body.items[3].cogs).toBe('4.53');

    await snapshotStock(stack.infrastructure.dataSource, new Date('2024-03-01T09:30:00Z'));
    const withSnapshot = await stack.get(`/api/v1/products/H-A/history?from=${FROM}&to=${TO}`);
    expect(withSnapshot.body.snapshots).toEqual([
      { at: '2024-03-01T09:30:00.000Z', location: 'main', onHand: 4, committed: 0 },
    ]);
  });

  it('answers the three reports, as JSON and CSV', async () => {
    const top = await stack.get(`/api/v1/reports/top-products?from=${FROM}&to=${TO}&by=revenue&limit=5`);
    expect(top.body.items).toEqual([
      { rank: 1, sku: 'H-A', name: 'Flat white', units: 16, revenue: '38.60' },
      { rank: 2, sku: 'H-B', name: 'Croissant', units: 2, revenue: '3.60' },
    ]);
    const bySource = await stack.get(`/api/v1/reports/sales-by-source?from=${FROM}&to=${TO}`);
    expect(
      bySource.body.items.map((item: { source: string; orders: number; revenue: string }) => [
        item.source,
        item.orders,
        item.revenue,
      ]),
    ).toEqual([
      ['chesterfield', 1, '33.60'],
      // Product and restock events carry the default source and no sales.
      ['direct', 0, '0.00'],
      ['web', 2, '8.60'],
    ]);
    const peak = await stack.get(`/api/v1/reports/peak-hours?from=${FROM}&to=${TO}`);
    expect(peak.body.items).toHaveLength(7 * 24);
    // 1 March 2024 was a Friday.
    expect(peak.body.items[4 * 24 + 9]).toMatchObject({ weekday: 'Friday', hour: 9, orders: 3, revenue: '42.20' });
    const csv = await fetchAs(`/api/v1/reports/sales-by-source?from=${FROM}&to=${TO}`, {
      headers: { accept: 'text/csv' },
    });
    expect((await csv.text()).split('\r\n')[1]).toMatch(/^chesterfield,1,14,33.60,/);
  });

  it('refuses bad input with clear 400s', async () => {
    const interval = await stack.get('/api/v1/kpis/history?interval=5m');
    expect(interval.status).toBe(400);
    expect(interval.body.message).toEqual(['interval: must be one of 1m, 1h, 1d, 1w, 1mo']);
    const reversed = await stack.get(`/api/v1/kpis/history?from=${TO}&to=${FROM}`);
    expect(reversed.body.message).toEqual(['from: must be before to']);
    const tooLong = await stack.get(
      '/api/v1/kpis/history?interval=1m&from=2024-01-01T00:00:00Z&to=2024-03-01T00:00:00Z',
    );
    expect(tooLong.body.message).toEqual(['to: range must be at most 31 days']);
    expect((await stack.get('/api/v1/reports/top-products?by=margin')).status).toBe(400);
    expect((await stack.get('/api/v1/kpis/history', null)).status).toBe(401);
  });

  it('documents the routes at /api/docs and serves the queue board to admins only', async () => {
    const document = (await (await fetch(`${stack.apiUrl}/api/docs-json`)).json()) as { paths: object };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/kpis/history',
        '/api/v1/products/{sku}/history',
        '/api/v1/alerts/{id}/ack',
        '/api/v1/reports/peak-hours',
      ]),
    );
    expect((await fetch(`${stack.apiUrl}/api/docs`)).status).toBe(200);
    expect((await fetch(`${stack.apiUrl}/admin/queues`)).status).toBe(401);
    // A token in the URL is not accepted any more, not even an admin's.
    expect((await fetch(`${stack.apiUrl}/admin/queues?token=${stack.token('admin')}`)).status).toBe(401);
    const bearer = (role: 'warehouse' | 'admin') => ({ authorization: `Bearer ${stack.token(role)}` });
    expect((await fetch(`${stack.apiUrl}/admin/queues`, { headers: bearer('warehouse') })).status).toBe(403);
    expect((await fetch(`${stack.apiUrl}/admin/queues`, { headers: bearer('admin') })).status).toBe(200);
    const refusedLink = await fetch(`${stack.apiUrl}/admin/queues/links`, {
      method: 'POST',
      headers: bearer('warehouse'),
    });
    expect(refusedLink.status).toBe(403);
    const link = await fetch(`${stack.apiUrl}/admin/queues/links`, { method: 'POST', headers: bearer('admin') });
    expect(link.status).toBe(201);
    const { url } = (await link.json()) as { url: string };
    expect(url).toMatch(/^\/admin\/queues\/open\/[A-Za-z0-9_-]{32}$/);
    const board = await fetch(`${stack.apiUrl}${url}`, { redirect: 'manual' });
    expect(board.status).toBe(303);
    const cookie = board.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/stockwall_queue_board=[A-Za-z0-9_-]{32};.*HttpOnly/);
    expect(cookie).not.toContain(stack.token('admin').split('.')[0]);
    // The link works once.
    expect((await fetch(`${stack.apiUrl}${url}`, { redirect: 'manual' })).status).toBe(401);
    const queues = await fetch(`${stack.apiUrl}/admin/queues/api/queues`, {
      headers: { cookie: cookie.split(';')[0] },
    });
    expect(queues.status).toBe(200);
    expect(
      ((await queues.json()) as { queues: { name: string }[] }).queues.map((queue: { name: string }) => queue.name),
    ).toContain('persist');
  });

  it('prunes raw events past the retention while rollups stay', async () => {
    const before = (await stack.get(`/api/v1/kpis/history?from=${FROM}&to=${TO}&interval=1h`)).body.items[0];
    const result = await pruneEvents(stack.infrastructure.dataSource, 1, Date.parse('2024-03-05T00:00:00Z'));
    expect(result.cutoff?.toISOString()).toBe('2024-02-29T09:02:50.000Z');
    expect(result.events).toBe(0);
    const everything = await pruneEvents(
      stack.infrastructure.dataSource,
      1,
      Date.parse('2024-03-01T00:00:00Z') + 2 * 86_400_000,
    );
    expect(everything.events).toBe(0);
    // Aged by the data's own clock: a day after the newest event nothing is older than a day yet.
    const [{ count }] = await stack.infrastructure.dataSource.query<{ count: string }[]>(
      'SELECT COUNT(*) AS count FROM inventory_events',
    );
    expect(Number(count)).toBe(10);
    await stack.infrastructure.dataSource.query(
      "UPDATE inventory_events SET occurred_at = '2023-01-01' WHERE event_id LIKE 'H-add-%'",
    );
    await stack.infrastructure.dataSource.query(
      "UPDATE inventory_event_lines SET occurred_at = '2023-01-01' WHERE event_id LIKE 'H-add-%'",
    );
    const aged = await pruneEvents(stack.infrastructure.dataSource, 30, Date.now());
    expect(aged).toMatchObject({ events: 2, lines: 2 });
    const after = (await stack.get(`/api/v1/kpis/history?from=${FROM}&to=${TO}&interval=1h`)).body.items[0];
    // Sales come from the rollups and stay; stock over time and customers read the raw rows (docs/history.md).
    const stockFields = ['averageInventoryValue', 'inventoryTurnover', 'stockoutRate'];
    const sales = (item: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(item).filter(([key]) => !stockFields.includes(key)));
    expect(sales(after)).toEqual(sales(before));
    expect(after.averageInventoryValue).not.toBe(before.averageInventoryValue);
  });

  // Last: the acknowledgement is an event of today, and the retention test above ages the 2024 data by its newest event.
  it('lists alerts, lets the warehouse role acknowledge one through the stream and refuses a viewer', async () => {
    const list = await stack.get('/api/v1/alerts?status=open&from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z');
    const lowStock = list.body.items.find(
      (item: { kind: string; sku: string }) => item.kind === 'low_stock' && item.sku === 'H-A',
    );
    expect(lowStock).toMatchObject({ status: 'open', location: 'main', reorderPoint: 5 });
    const denied = await fetchAs(`/api/v1/alerts/${lowStock.id}/ack`, { method: 'POST' });
    expect(denied.status).toBe(403);
    // The acknowledgement is an event on the stream (202 with its id); the persist job records it.
    const acked = await fetchAs(`/api/v1/alerts/${lowStock.id}/ack`, { method: 'POST', role: 'warehouse' });
    expect(acked.status).toBe(202);
    const accepted = (await acked.json()) as { eventId: string; eventType: string; sku: string; alertId: string };
    expect(accepted).toMatchObject({
      eventType: 'alert_acknowledged',
      sku: 'H-A',
      alertId: lowStock.alertId,
      eventId: expect.stringMatching(/^api-/),
    });
    const acknowledged = await eventually(
      async () => {
        const page = await stack.get(
          '/api/v1/alerts?status=acknowledged&from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z',
        );
        return page.body.items?.length ? page.body.items : undefined;
      },
      15_000,
      'the acknowledgement persisted',
    );
    expect(acknowledged).toEqual([
      expect.objectContaining({ id: lowStock.id, status: 'acknowledged', acknowledgedBy: 'test-warehouse' }),
    ]);
    const [stored] = await stack.infrastructure.dataSource.query<{ event_type: string; sku: string }[]>(
      'SELECT event_type, sku FROM inventory_events WHERE event_id = ?',
      [accepted.eventId],
    );
    expect(stored).toEqual({ event_type: 'alert_acknowledged', sku: 'H-A' });
    // Acknowledging again puts nothing on the stream and keeps the first acknowledgement.
    const again = await fetchAs(`/api/v1/alerts/${lowStock.alertId}/ack`, { method: 'POST', role: 'warehouse' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: lowStock.id, acknowledgedAt: acknowledged[0].acknowledgedAt });
    const missing = await fetchAs('/api/v1/alerts/999999999/ack', { method: 'POST', role: 'warehouse' });
    expect(missing.status).toBe(404);
  });
});

import type { AlertMessage } from '@stockwall/contracts';
import { aFulfilment, anOrder, aProductAdded, aRestock } from './factories/wire-events';
import { eventually, TestStack } from './support/test-stack';

const at = (minute: number, second = 0) => new Date(Date.UTC(2011, 5, 1, 10, minute, second)).toISOString();

function placeAndShip(id: string, minute: number, sku: string, quantity: number, price: string, source = 'web') {
  const order = { orderId: id, source, sku, quantity, unitPrice: price };
  return [
    anOrder({ id: `${id}-p`, occurredAt: at(minute), ...order }),
    aFulfilment({ id: `${id}-f`, occurredAt: at(minute, 30), ...order }),
  ];
}

describe('Aggregation: windows, totals and alerts through the whole pipeline', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 2, workers: 2, env: { ALLOWED_LATENESS_SECONDS: '120' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('serves exact window KPIs, raises each alert once on /live and persists it', async () => {
    const socket = await stack.connectLive();
    const ack = await socket.emitWithAck('subscribe', { channels: ['alerts'] });
    expect(ack.ok).toBe(true);
    const pushed: AlertMessage[] = [];
    socket.on('alert', (message) => pushed.push(message));

    await stack.publish(
      aProductAdded({
        id: 'K1-add',
        occurredAt: at(0),
        sku: 'K1',
        name: 'Kettle',
        quantity: 10,
        at: at(0),
        unitPrice: '20.00',
        unitCost: '12.50',
        reorderPoint: 4,
      }),
      ...placeAndShip('O1', 1, 'K1', 3, '19.99'),
      ...placeAndShip('O2', 2, 'K1', 4, '19.99', 'app'),
    );
    // Available 3 ≤ 4: one low-stock alert. More sales below the point raise nothing new.
    await eventually(async () => (pushed.some((message) => message.alert.kind === 'low_stock') ? true : undefined));
    await stack.publish(...placeAndShip('O3', 3, 'K1', 3, '19.99'));
    await eventually(async () => (pushed.some((message) => message.alert.kind === 'out_of_stock') ? true : undefined));
    await stack.publish(
      aRestock({ id: 'K1-r1', occurredAt: at(6), sku: 'K1', quantity: 10, unitCost: '14.00' }),
      ...placeAndShip('O4', 7, 'K1', 2, '19.99'),
    );
    await eventually(async () => (pushed.some((message) => message.alert.kind === 'back_in_stock') ? true : undefined));
    // 8 available, above 4: re-armed; falling to 4 raises the second low-stock alert.
    await stack.publish(...placeAndShip('O5', 8, 'K1', 4, '19.99'));
    await eventually(
      async () => (pushed.filter((message) => message.alert.kind === 'low_stock').length === 2 ? true : undefined),
      15_000,
      'the second low-stock alert',
    );

    expect(pushed.map((message) => message.alert.kind)).toEqual([
      'low_stock',
      'out_of_stock',
      'back_in_stock',
      'low_stock',
    ]);
    const backInStock = pushed.find((message) => message.alert.kind === 'back_in_stock')!.alert;
    // Out at 10:03:30 (O3 shipped), back at 10:07:30 (the batch's last event time).
    expect(backInStock.stockoutMs).toBeGreaterThanOrEqual(3 * 60_000);

    const kpis = await eventually(async () => {
      const response = await stack.get('/api/v1/kpis/live?window=15m');
      return response.body.orders === 5 ? response.body : undefined;
    });
    // Revenue 16 × 19.99; COGS: 10 units at 12.50, then 6 at the moving average (0 on hand → 14.00).
    expect(kpis).toMatchObject({
      window: '15m',
      orders: 5,
      units: 16,
      revenue: '319.84',
      cogs: (10 * 12.5 + 6 * 14).toFixed(2),
      grossMargin: (319.84 - 209).toFixed(2),
      averageOrderValue: '63.97',
      lateEvents: 0,
      topSkusByUnits: [{ sku: 'K1', units: 16, revenue: '319.84' }],
    });
    expect(kpis.stock.overall).toMatchObject({
      units: 4,
      stockValue: '56.00',
      skusBelowReorderPoint: 1,
      activeSkus: 1,
    });
    const app = await stack.get('/api/v1/kpis/live?window=1h&source=app');
    expect(app.body).toMatchObject({ orders: 1, units: 4, revenue: '79.96', cogs: '50.00' });

    const rows = await eventually(async () => {
      const found = await stack.infrastructure.dataSource.query<{ kind: string }[]>(
        'SELECT kind FROM alerts ORDER BY occurred_at, id',
      );
      return found.length === 4 ? found : undefined;
    });
    expect(rows.map((row) => row.kind)).toEqual(['low_stock', 'out_of_stock', 'back_in_stock', 'low_stock']);
  });

  it('counts events beyond the allowed lateness as late and keeps them out of the windows', async () => {
    const before = (await stack.get('/api/v1/kpis/live?window=24h')).body;
    // The watermark is 10:08:30; 10:05 is within 2 minutes' lateness of nothing: its minute closed at 10:06.
    await stack.publish(...placeAndShip('L1', -30, 'K1', 1, '19.99'));
    const after = await eventually(async () => {
      const response = await stack.get('/api/v1/kpis/live?window=24h');
      return response.body.lateEvents === before.lateEvents + 2 ? response.body : undefined;
    });
    expect(after.orders).toBe(before.orders);
    expect(after.stock.overall.units).toBe(before.stock.overall.units - 1);
  });

  it('answers a bad window or source with a 400 naming the field', async () => {
    const response = await stack.get('/api/v1/kpis/live?window=2h');
    expect(response.status).toBe(400);
    expect(response.body.message.join(' ')).toMatch(/window: must be one of 1m, 5m, 15m, 1h, 24h/);
    expect((await stack.get('/api/v1/kpis/live?source=%00bad')).status).toBe(400);
    expect((await stack.get('/api/v1/kpis/live?colour=red')).status).toBe(400);
  });
});

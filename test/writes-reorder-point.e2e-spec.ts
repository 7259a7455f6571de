import type { AlertMessage, StockDelta, StockRow } from '@stockwall/contracts';
import { eventually, TestStack } from './support/test-stack';

describe('PUT /products/:sku/reorder-point sets only the reorder point, through the stream', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 1 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function write(method: string, path: string, body?: unknown) {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.token('admin')}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  it('answers 202, reaches /live and MySQL, and raising it above available raises one low-stock alert', async () => {
    const socket = await stack.connectLive();
    const ack = await socket.emitWithAck('subscribe', { channels: ['stock', 'alerts'] });
    expect(ack.ok).toBe(true);
    const seen = new Map<string, StockRow>();
    const alerts: AlertMessage[] = [];
    socket.on('stock.delta', (delta: StockDelta) => {
      for (const row of delta.rows) seen.set(`${row.sku}@${row.location}`, row);
    });
    socket.on('alert', (message: AlertMessage) => alerts.push(message));
    const live = (check: (row: StockRow) => boolean) =>
      eventually(
        async () => {
          const row = seen.get('RP-1@north');
          return row && check(row) ? row : undefined;
        },
        15_000,
        'RP-1@north on /live',
      );

    const created = await write('POST', '/api/v1/products', {
      sku: 'RP-1',
      name: 'Table lamp',
      quantity: 20,
      location: 'north',
      unitCost: '8.00',
      reorderPoint: 4,
    });
    expect(created.status).toBe(202);
    await live((row) => row.onHand === 20 && row.reorderPoint === 4);

    const raised = await write('PUT', '/api/v1/products/RP-1/reorder-point', { reorderPoint: 25, location: 'north' });
    expect(raised.status).toBe(202);
    expect(raised.body).toEqual({
      eventId: expect.stringMatching(/^api-[0-9a-f-]{36}$/),
      eventType: 'reorder_point_set',
      sku: 'RP-1',
    });
    // Stock is untouched; only the point moved, and available (20) is now at or below it.
    expect(await live((row) => row.reorderPoint === 25)).toMatchObject({
      onHand: 20,
      committed: 0,
      available: 20,
      unitCost: '8.00',
      belowReorderPoint: true,
      active: true,
    });
    const lowStock = await eventually(
      async () => alerts.find((message) => message.alert.sku === 'RP-1' && message.alert.kind === 'low_stock'),
      15_000,
      'the low-stock alert on /live',
    );
    expect(lowStock.alert).toMatchObject({ location: 'north', available: 20, reorderPoint: 25 });

    // Lowering it again re-arms the alert without raising anything.
    const lowered = await write('PUT', '/api/v1/products/RP-1/reorder-point', { reorderPoint: 10, location: 'north' });
    expect(lowered.status).toBe(202);
    await live((row) => row.reorderPoint === 10 && !row.belowReorderPoint);

    const stored = await eventually(
      async () => {
        // BIGINT columns come back as strings.
        const [level] = await stack.infrastructure.dataSource.query<{ on_hand: string; reorder_point: number }[]>(
          "SELECT on_hand, reorder_point FROM stock_levels WHERE sku = 'RP-1' AND location = 'north'",
        );
        return level?.reorder_point === 10 ? level : undefined;
      },
      20_000,
      'the new reorder point in stock_levels',
    );
    expect({ ...stored, on_hand: Number(stored.on_hand) }).toMatchObject({ on_hand: 20, reorder_point: 10 });
    const events = await stack.infrastructure.dataSource.query<{ event_id: string }[]>(
      'SELECT event_id FROM inventory_events WHERE event_id IN (?)',
      [[raised.body.eventId, lowered.body.eventId]],
    );
    expect(events).toHaveLength(2);
    const persistedAlerts = await eventually(
      async () => {
        const rows = await stack.infrastructure.dataSource.query<{ kind: string; reorder_point: number }[]>(
          "SELECT kind, reorder_point FROM alerts WHERE sku = 'RP-1'",
        );
        return rows.length > 0 ? rows : undefined;
      },
      20_000,
      'the low-stock alert in MySQL',
    );
    expect(persistedAlerts).toEqual([{ kind: 'low_stock', reorder_point: 25 }]);
    expect(alerts.filter((message) => message.alert.sku === 'RP-1')).toHaveLength(1);
    socket.disconnect();
  });

  it.each([
    [{ reorderPoint: -1 }, /reorderPoint/],
    [{ reorderPoint: 2.5 }, /reorderPoint/],
    [{}, /reorderPoint/],
    [{ reorderPoint: 3, location: '../x' }, /location/],
  ])('refuses %j with a 400 naming the field', async (body, message) => {
    const response = await write('PUT', '/api/v1/products/RP-2/reorder-point', body);
    expect(response.status).toBe(400);
    expect([response.body.message].flat().join(' ')).toMatch(message);
  });
});

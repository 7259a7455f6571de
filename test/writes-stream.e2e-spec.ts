import type { StockDelta, StockRow } from '@stockwall/contracts';
import { eventually, TestStack } from './support/test-stack';

describe('Writes go through the stream and show up live', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 2 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function write(method: string, path: string, role: 'warehouse' | 'admin', body?: unknown) {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.token(role)}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  it('answers 202 with the event id, and each change reaches a /live subscriber like any other event', async () => {
    const socket = await stack.connectLive();
    const ack = await socket.emitWithAck('subscribe', { channels: ['stock'] });
    expect(ack.ok).toBe(true);
    const seen = new Map<string, StockRow>();
    socket.on('stock.delta', (delta: StockDelta) => {
      for (const row of delta.rows) seen.set(`${row.sku}@${row.location}`, row);
    });
    const live = (key: string, check: (row: StockRow) => boolean) =>
      eventually(async () => (seen.has(key) && check(seen.get(key)!) ? seen.get(key) : undefined), 15_000, key);

    const created = await write('POST', '/api/v1/products', 'admin', {
      sku: 'WR-1',
      name: 'Desk fan',
      quantity: 20,
      location: 'north',
      unitPrice: '24.90',
      unitCost: '11.00',
      reorderPoint: 4,
    });
    expect(created.status).toBe(202);
    expect(created.body).toEqual({
      eventId: expect.stringMatching(/^api-[0-9a-f-]{36}$/),
      eventType: 'product_added',
      sku: 'WR-1',
    });
    expect(await live('WR-1@north', (row) => row.onHand === 20)).toMatchObject({
      name: 'Desk fan',
      reorderPoint: 4,
      unitCost: '11.00',
    });

    const adjusted = await write('POST', '/api/v1/adjustments', 'warehouse', {
      sku: 'WR-1',
      location: 'north',
      delta: -3,
      reason: 'damaged',
    });
    expect(adjusted.status).toBe(202);
    expect(adjusted.body.eventType).toBe('quantity_changed');
    await live('WR-1@north', (row) => row.onHand === 17);

    const counted = await write('POST', '/api/v1/adjustments', 'warehouse', {
      sku: 'WR-1',
      location: 'north',
      countedQuantity: 12,
      reason: 'cycle count',
    });
    expect(counted.body.eventType).toBe('stock_adjusted');
    await live('WR-1@north', (row) => row.onHand === 12);

    const removed = await write('DELETE', '/api/v1/products/WR-1?location=north', 'admin');
    expect(removed.status).toBe(202);
    expect(await live('WR-1@north', (row) => !row.active)).toMatchObject({ onHand: 0 });

    // The events are stored under the ids the API answered with.
    const ids = [created, adjusted, counted, removed].map((response) => response.body.eventId as string);
    const stored = await eventually(
      async () => {
        const rows = await stack.infrastructure.dataSource.query<{ event_id: string }[]>(
          'SELECT event_id FROM inventory_events WHERE event_id IN (?)',
          [ids],
        );
        return rows.length === ids.length ? rows : undefined;
      },
      20_000,
      'the written events in MySQL',
    );
    expect(stored.map((row) => row.event_id).sort()).toEqual([...ids].sort());
    socket.disconnect();
  });

  it.each([
    [{ sku: 'WR-2', reason: 'x' }, /exactly one of delta or countedQuantity/],
    [{ sku: 'WR-2', delta: 1, countedQuantity: 2, reason: 'x' }, /exactly one of delta or countedQuantity/],
    [{ sku: 'WR-2', delta: 0, reason: 'x' }, /must not be zero/],
    [{ sku: 'WR-2', delta: 1.5, reason: 'x' }, /whole number/],
    [{ sku: 'WR-2', delta: 1, reason: 'x', location: '../etc' }, /location/],
    [{ sku: 'WR-2', delta: 1, reason: 'x', colour: 'red' }, /colour/],
  ])('refuses %j with a 400 naming the field', async (body, message) => {
    const response = await write('POST', '/api/v1/adjustments', 'warehouse', body);
    expect(response.status).toBe(400);
    expect([response.body.message].flat().join(' ')).toMatch(message);
  });
});

import type { StockDelta, SubscribeAck, WireEvent } from '@stockwall/contracts';
import { aProductAdded, aProductRemoved, aQuantityChange } from './factories/wire-events';
import { eventually, TestStack } from './support/test-stack';

const SAMPLE_EVENT = `{"event_type": "product_added",
 "product": {"product_id": "P98765", "product_name": "Laptop", "quantity": 10,
             "timestamp": "2023-09-11T12:00:00Z"}}`;

describe('Walking skeleton: Kinesis → worker → Redis, Socket.IO and MySQL', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 2 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('shows the sample event in REST, on /live and as a MySQL row', async () => {
    const socket = await stack.connectLive();
    const ack = await socket.emitWithAck('subscribe', { channels: ['stock'] });
    expect(ack.ok).toBe(true);
    const deltas: StockDelta[] = [];
    socket.on('stock.delta', (delta) => deltas.push(delta));

    await stack.publisher.publishRaw([{ data: Buffer.from(SAMPLE_EVENT), partitionKey: 'P98765' }]);

    const stock = await eventually(
      async () => {
        const response = await stack.get('/api/v1/stock/P98765');
        return response.status === 200 ? response.body : undefined;
      },
      15_000,
      'P98765 in the REST API',
    );
    expect(stock).toMatchObject({ sku: 'P98765', onHand: 10, available: 10 });
    expect(stock.locations).toEqual([
      expect.objectContaining({
        sku: 'P98765',
        location: 'main',
        name: 'Laptop',
        onHand: 10,
        committed: 0,
        lastEventAt: '2023-09-11T12:00:00.000Z',
      }),
    ]);

    const delta = await eventually(
      async () => deltas.find((candidate) => candidate.rows.some((row) => row.sku === 'P98765')),
      5_000,
      'a /live delta',
    );
    expect(delta.rows.find((row) => row.sku === 'P98765')).toMatchObject({ onHand: 10, available: 10, name: 'Laptop' });
    expect(delta.previousVersion).toBe(delta.version - 1);
    expect(delta.version).toBeGreaterThan((ack as Extract<SubscribeAck, { ok: true }>).version);

    const rows = await eventually(
      async () => {
        const found = await stack.infrastructure.dataSource.query<
          { event_type: string; sku: string; on_hand: string }[]
        >(
          "SELECT e.event_type, e.sku, s.on_hand FROM inventory_events e JOIN stock_levels s ON s.sku = e.sku WHERE e.sku = 'P98765'",
        );
        return found.length > 0 ? found : undefined;
      },
      15_000,
      'the MySQL row',
    );
    // on_hand is BIGINT, which comes back as a string.
    expect(rows).toEqual([{ event_type: 'product_added', sku: 'P98765', on_hand: '10' }]);
  });

  it('ends a sequence of events for several SKUs in exactly the expected stock, in Redis and in MySQL', async () => {
    const timestamp = '2024-03-01T09:00:00Z';
    const events: WireEvent[] = [];
    const expected: Record<string, number> = {};
    for (let index = 0; index < 6; index++) {
      const sku = `SEQ-${index}`;
      events.push(aProductAdded({ id: `${sku}-add`, sku, name: `Item ${index}`, quantity: 100, at: timestamp }));
      expected[sku] = 100;
      for (let step = 0; step < 10; step++) {
        const delta = (((index + 1) * (step + 3)) % 7) - 3;
        events.push(aQuantityChange({ id: `${sku}-chg-${step}`, sku, delta, at: timestamp }));
        expected[sku] += delta;
      }
      if (index % 2 === 0) {
        events.push(aProductRemoved({ id: `${sku}-rm`, sku, quantity: 5, at: timestamp }));
        expected[sku] -= 5;
      }
    }
    events.push(aProductRemoved({ id: 'SEQ-5-discontinue', sku: 'SEQ-5', at: timestamp }));
    expected['SEQ-5'] = 0;
    await stack.publish(...events);

    const skus = Object.keys(expected);
    const live = await eventually(
      async () => {
        const response = await stack.get('/api/v1/stock?search=SEQ-&limit=100');
        const onHand = Object.fromEntries(
          (response.body.rows as { sku: string; onHand: number }[]).map((row) => [row.sku, row.onHand]),
        );
        return JSON.stringify(onHand) === JSON.stringify(expected) ? onHand : undefined;
      },
      20_000,
      'the expected live stock',
    );
    expect(live).toEqual(expected);
    const csv = await fetch(`${stack.apiUrl}/api/v1/stock?search=SEQ-&limit=100`, {
      headers: { authorization: `Bearer ${stack.token('viewer')}`, accept: 'text/csv' },
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...lines] = (await csv.text()).trim().split(/\r?\n/);
    const columns = header.split(',');
    const csvOnHand = Object.fromEntries(
      lines
        .map((line) => line.split(','))
        .map((cells) => [cells[columns.indexOf('sku')], Number(cells[columns.indexOf('onHand')])]),
    );
    expect(csvOnHand).toEqual(expected);
    const discontinued = await stack.get('/api/v1/stock/SEQ-5');
    expect(discontinued.body.locations[0]).toMatchObject({ onHand: 0, active: false });

    const persisted = await eventually(
      async () => {
        const rows = await stack.infrastructure.dataSource.query<{ sku: string; on_hand: number }[]>(
          'SELECT sku, on_hand FROM stock_levels WHERE sku IN (?) ORDER BY sku',
          [skus],
        );
        const onHand = Object.fromEntries(rows.map((row) => [row.sku, Number(row.on_hand)]));
        return JSON.stringify(onHand) === JSON.stringify(expected) ? onHand : undefined;
      },
      20_000,
      'the expected MySQL stock',
    );
    expect(persisted).toEqual(expected);
    const [{ count }] = await stack.infrastructure.dataSource.query(
      "SELECT COUNT(*) AS count FROM inventory_events WHERE event_id LIKE 'SEQ-%'",
    );
    expect(Number(count)).toBe(events.length);
  });

  it('dead-letters malformed records with a reason and still applies the good records around them', async () => {
    const timestamp = '2024-03-02T09:00:00Z';
    const good = (sku: string, quantity: number) =>
      Buffer.from(JSON.stringify(aProductAdded({ id: `${sku}-ok`, sku, name: sku, quantity, at: timestamp })));
    const records = [
      good('DLQ-A', 3),
      Buffer.from('{this is not json'),
      Buffer.from(JSON.stringify({ event_type: 'teleported', sku: 'DLQ-A' })),
      good('DLQ-B', 4),
      Buffer.from(
        JSON.stringify({ event_type: 'product_added', product: { product_id: 'DLQ-C', quantity: 1, timestamp } }),
      ),
      Buffer.from(JSON.stringify({ event_type: 'stock_adjusted', sku: 'DLQ-A', quantity: -5, reason: 'count' })),
      Buffer.from(JSON.stringify({ event_type: 'stock_adjusted', sku: 'DLQ-A', quantity: 'lots', reason: 'count' })),
      good('DLQ-C', 5),
    ];
    // One partition key: one shard, so good and bad records are interleaved in one batch.
    await stack.publisher.publishRaw(records.map((data) => ({ data, partitionKey: 'dlq' })));

    for (const [sku, quantity] of [
      ['DLQ-A', 3],
      ['DLQ-B', 4],
      ['DLQ-C', 5],
    ] as const) {
      const stock = await eventually(
        async () => {
          const response = await stack.get(`/api/v1/stock/${sku}`);
          return response.status === 200 ? response.body : undefined;
        },
        15_000,
        sku,
      );
      expect(stock.onHand).toBe(quantity);
    }

    const expectedReasons = ['invalid_event', 'invalid_event', 'invalid_event', 'not_json', 'unknown_event_type'];
    const stored = await eventually(
      async () => {
        const rows = await stack.infrastructure.dataSource.query<
          { reason: string; detail: string; raw_base64: string }[]
        >('SELECT reason, detail, raw_base64 FROM dead_letters ORDER BY reason');
        return rows.length === expectedReasons.length ? rows : undefined;
      },
      15_000,
      'dead letters in MySQL',
    );
    expect(stored.map((row) => row.reason)).toEqual(expectedReasons);
    expect(stored.map((row) => row.detail).join('\n')).toMatch(/product\.product_name/);
    expect(stored.map((row) => row.detail).join('\n')).toMatch(/quantity: must not be negative/);
    expect(Buffer.from(stored.find((row) => row.reason === 'not_json')!.raw_base64, 'base64').toString()).toBe(
      '{this is not json',
    );

    const live = await stack.infrastructure.redis.xrange(
      stack.infrastructure.config.redis.prefix + 'dead-letters',
      '-',
      '+',
    );
    expect(live.map(([, fields]) => fields[fields.indexOf('reason') + 1]).sort()).toEqual(expectedReasons);
  });

  it('rejects a missing or bad token with 401 on REST and on the socket handshake', async () => {
    expect((await stack.get('/api/v1/stock', null)).status).toBe(401);
    const forged = await fetch(`${stack.apiUrl}/api/v1/stock`, { headers: { authorization: 'Bearer not.a.token' } });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ statusCode: 401, message: expect.stringMatching(/Invalid token/) });
    await expect(stack.connectLive(null)).rejects.toThrow('unauthorized');
    await expect(stack.connectLive('garbage')).rejects.toThrow('unauthorized');
    expect((await stack.get('/health/ready', null)).body).toMatchObject({ status: 'ok' });
  });

  it('answers bad query strings with a clear 400', async () => {
    const response = await stack.get('/api/v1/stock?limit=0&colour=red');
    expect(response.status).toBe(400);
    expect(response.body.message.join(' ')).toMatch(/limit/);
  });
});

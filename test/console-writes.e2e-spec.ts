import type { WriteApplied, WriteRejected } from '@stockwall/contracts';
import { ConsoleSession } from './support/console-session';
import { eventually, LiveClient, TestStack } from './support/test-stack';

const PASSWORD = 'a long enough password';

describe('Console writes: who and why are stored, pending turns applied, movements list them', () => {
  let stack: TestStack;
  let warehouse: ConsoleSession;
  let socket: LiveClient;
  const applied = new Map<string, WriteApplied>();
  const rejected = new Map<string, WriteRejected>();

  async function asAdmin(method: string, path: string, body?: unknown) {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.token('admin')}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  const appliedOnSocket = (eventId: string) =>
    eventually(async () => applied.get(eventId), 20_000, `write.applied for ${eventId}`);

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 2 });
    const created = await asAdmin('POST', '/api/v1/users', {
      email: 'wendy@example.com',
      role: 'warehouse',
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    warehouse = new ConsoleSession(stack.apiUrl);
    expect((await warehouse.login('wendy@example.com', PASSWORD)).status).toBe(200);
    socket = await warehouse.connectLive();
    socket.on('write.applied', (write) => applied.set(write.eventId, write));
    socket.on('write.rejected', (write) => rejected.set(write.eventId, write));
    expect(await socket.emitWithAck('writes.subscribe')).toEqual({ ok: true });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('reports a write pending, then applied on the socket and over REST', async () => {
    const product = await asAdmin('POST', '/api/v1/products', {
      sku: 'CW-1',
      name: 'Kettle',
      quantity: 10,
      location: 'north',
      unitPrice: '19.90',
      reason: 'new line for the spring range',
    });
    expect(product.status).toBe(202);
    const { eventId } = product.body;
    // Right after the 202 the worker has not applied it yet, or just has.
    const early = await warehouse.call('GET', `/api/v1/writes/${eventId}`);
    expect(early.status).toBe(200);
    expect(['pending', 'applied']).toContain(early.body.state);
    expect(await appliedOnSocket(eventId)).toEqual({
      eventId,
      eventType: 'product_added',
      sku: 'CW-1',
      location: 'north',
    });
    expect((await warehouse.call('GET', `/api/v1/writes/${eventId}`)).body).toEqual({ eventId, state: 'applied' });
    expect((await warehouse.call('GET', '/api/v1/writes/api-never-written')).body.state).toBe('pending');
    expect((await warehouse.call('GET', '/api/v1/writes/not-a-write')).status).toBe(400);
  });

  it('stores the actor and the reason of a cookie-made adjustment in MySQL and lists it in /movements (JSON and CSV)', async () => {
    const counted = await warehouse.call('POST', '/api/v1/adjustments', {
      sku: 'CW-1',
      location: 'north',
      countedQuantity: 7,
      reason: 'cycle count, aisle 4',
    });
    expect(counted.status).toBe(202);
    const changed = await warehouse.call('POST', '/api/v1/adjustments', {
      sku: 'CW-1',
      location: 'north',
      delta: -2,
      reason: 'two broken in transit',
    });
    expect(changed.status).toBe(202);
    await appliedOnSocket(counted.body.eventId);
    await appliedOnSocket(changed.body.eventId);
    const stock = await stack.get('/api/v1/stock/CW-1');
    expect(stock.body.locations ?? stock.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ location: 'north', onHand: 5 })]),
    );

    const rows = await eventually(
      async () => {
        const found = await stack.infrastructure.dataSource.query<
          { event_id: string; event_type: string; actor: string | null; reason: string | null }[]
        >('SELECT event_id, event_type, actor, reason FROM inventory_events WHERE sku = ? ORDER BY id', ['CW-1']);
        return found.length === 3 ? found : undefined;
      },
      20_000,
      'three stored events of CW-1',
    );
    expect(rows.map(({ event_type, actor, reason }) => ({ event_type, actor, reason }))).toEqual([
      { event_type: 'product_added', actor: 'test-admin', reason: 'new line for the spring range' },
      { event_type: 'stock_adjusted', actor: 'wendy@example.com', reason: 'cycle count, aisle 4' },
      { event_type: 'quantity_changed', actor: 'wendy@example.com', reason: 'two broken in transit' },
    ]);

    const listed = await eventually(
      async () => {
        const answer = await warehouse.call('GET', '/api/v1/movements?sku=CW-1');
        return answer.status === 200 && answer.body.movements.length === 3 ? answer.body : undefined;
      },
      20_000,
      'three movements of CW-1',
    );
    expect(listed.nextCursor).toBeNull();
    expect(listed.movements).toEqual([
      expect.objectContaining({
        eventId: changed.body.eventId,
        eventType: 'quantity_changed',
        sku: 'CW-1',
        location: 'north',
        quantityDelta: -2,
        onHandAfter: 5,
        actor: 'wendy@example.com',
        reason: 'two broken in transit',
        occurredAt: expect.stringMatching(/Z$/),
      }),
      expect.objectContaining({
        eventType: 'stock_adjusted',
        quantityDelta: -3,
        onHandAfter: 7,
        reason: 'cycle count, aisle 4',
      }),
      expect.objectContaining({ eventType: 'product_added', quantityDelta: 10, onHandAfter: 10, actor: 'test-admin' }),
    ]);

    // By user, and paged by the cursor.
    const byUser = await warehouse.call('GET', '/api/v1/movements?user=wendy%40example.com&limit=1');
    expect(byUser.body.movements).toHaveLength(1);
    expect(byUser.body.movements[0].eventId).toBe(changed.body.eventId);
    const next = await warehouse.call(
      'GET',
      `/api/v1/movements?user=wendy%40example.com&limit=1&cursor=${encodeURIComponent(byUser.body.nextCursor)}`,
    );
    expect(next.body.movements.map((movement: { eventId: string }) => movement.eventId)).toEqual([
      counted.body.eventId,
    ]);
    expect(next.body.nextCursor).toBeNull();
    expect((await warehouse.call('GET', '/api/v1/movements?user=nobody')).body.movements).toEqual([]);
    expect((await warehouse.call('GET', '/api/v1/movements?sku=CW-1&location=south')).body.movements).toEqual([]);

    const csv = await fetch(`${stack.apiUrl}/api/v1/movements?sku=CW-1`, {
      headers: { cookie: warehouse.cookie!, accept: 'text/csv' },
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('eventId,eventType,sku,location,quantityDelta,onHandAfter,actor,reason,occurredAt');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain(',stock_adjusted,CW-1,north,-3,7,wendy@example.com,"cycle count, aisle 4",');
    const byFormat = await warehouse.call('GET', '/api/v1/movements?sku=CW-1&format=csv');
    expect(byFormat.headers.get('content-type')).toMatch(/^text\/csv/);
  });

  it('answers bad movement queries and bad reasons with 400 naming the field', async () => {
    for (const [query, field] of [
      ['from=yesterday', 'from'],
      ['from=2024-02-01T00:00:00Z&to=2024-01-01T00:00:00Z', 'from'],
      ['limit=0', 'limit'],
      ['limit=1e3', 'limit'],
      ['cursor=abc', 'cursor'],
      ['color=red', 'color'],
      ['format=xml', 'format'],
    ]) {
      const answer = await warehouse.call('GET', `/api/v1/movements?${query}`);
      expect({ query, status: answer.status }).toEqual({ query, status: 400 });
      expect(JSON.stringify(answer.body.message)).toContain(field);
    }
    const longReason = await warehouse.call('POST', '/api/v1/adjustments', {
      sku: 'CW-1',
      delta: 1,
      reason: 'x'.repeat(300),
    });
    expect(longReason.status).toBe(400);
    expect(JSON.stringify(longReason.body.message)).toMatch(/reason/);
    const controlReason = await asAdmin('PUT', '/api/v1/products/CW-1/reorder-point', {
      reorderPoint: 3,
      reason: 'bell\u0007',
    });
    expect(controlReason.status).toBe(400);
    expect(JSON.stringify(controlReason.body.message)).toMatch(/reason: must not contain control characters/);
  });

  it('lets an admin edit a product’s name and price through the stream: stock unchanged, the products row changed', async () => {
    const admin = new ConsoleSession(stack.apiUrl);
    expect(
      (await asAdmin('POST', '/api/v1/users', { email: 'ada@example.com', role: 'admin', password: PASSWORD })).status,
    ).toBe(201);
    expect((await admin.login('ada@example.com', PASSWORD)).status).toBe(200);
    // A second location of the same SKU: its live row is renamed too.
    const south = await asAdmin('POST', '/api/v1/adjustments', {
      sku: 'CW-1',
      location: 'south',
      delta: 4,
      reason: 'moved',
    });
    await appliedOnSocket(south.body.eventId);
    const before = (await stack.get('/api/v1/stock/CW-1')).body;

    const edited = await admin.call('PATCH', '/api/v1/products/CW-1', {
      name: 'Kettle 2 l',
      unitPrice: '24.50',
      category: 'Kitchen',
      description: 'Two litres.\nBrushed steel.',
      reason: 'supplier renamed it',
    });
    expect(edited.status).toBe(202);
    expect(edited.body).toMatchObject({
      eventId: expect.stringMatching(/^api-/),
      eventType: 'product_updated',
      sku: 'CW-1',
    });
    expect(edited.body.eventIds).toHaveLength(2);
    for (const eventId of edited.body.eventIds) {
      expect(await appliedOnSocket(eventId)).toMatchObject({ eventType: 'product_updated', sku: 'CW-1' });
    }

    const after = (await stack.get('/api/v1/stock/CW-1')).body;
    expect(after.onHand).toBe(before.onHand);
    expect(after.available).toBe(before.available);
    for (const row of after.locations) {
      const old = before.locations.find((candidate: { location: string }) => candidate.location === row.location);
      expect({ location: row.location, onHand: row.onHand, committed: row.committed, name: row.name }).toEqual({
        location: row.location,
        onHand: old.onHand,
        committed: old.committed,
        name: 'Kettle 2 l',
      });
    }

    const product = await eventually(
      async () => {
        const answer = await admin.call('GET', '/api/v1/products/CW-1');
        return answer.status === 200 && answer.body.name === 'Kettle 2 l' ? answer.body : undefined;
      },
      20_000,
      'the edited products row',
    );
    expect(product).toEqual({
      sku: 'CW-1',
      name: 'Kettle 2 l',
      category: 'Kitchen',
      description: 'Two litres.\nBrushed steel.',
      unitPrice: '24.50',
      unitCost: null,
      updatedAt: expect.stringMatching(/Z$/),
    });
    // The events of the two locations may be persisted in different batches: wait for the last one.
    const stored = await eventually(
      async () => {
        const [row] = await stack.infrastructure.dataSource.query<{ actor: string; reason: string }[]>(
          'SELECT actor, reason FROM inventory_events WHERE event_id = ?',
          [edited.body.eventId],
        );
        return row;
      },
      20_000,
      'the stored product_updated event',
    );
    expect(stored).toEqual({ actor: 'ada@example.com', reason: 'supplier renamed it' });
    // A catalog edit is not a stock movement.
    const movements = (await admin.call('GET', '/api/v1/movements?sku=CW-1')).body.movements;
    expect(movements.map((movement: { eventType: string }) => movement.eventType)).not.toContain('product_updated');

    expect((await warehouse.call('PATCH', '/api/v1/products/CW-1', { name: 'Nope' })).status).toBe(403);
    const empty = await admin.call('PATCH', '/api/v1/products/CW-1', {});
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body.message)).toMatch(/at least one of name/);
    expect((await admin.call('PATCH', '/api/v1/products/CW-1', { unitPrice: '-1' })).status).toBe(400);
    expect((await admin.call('GET', '/api/v1/products/NOPE')).status).toBe(404);
  });

  it('stores the reason given with an alert acknowledgement, made with the cookie', async () => {
    const created = await asAdmin('POST', '/api/v1/products', {
      sku: 'CW-LOW',
      name: 'Mug',
      quantity: 1,
      reorderPoint: 5,
    });
    await appliedOnSocket(created.body.eventId);
    const alert = await eventually(
      async () => {
        const answer = await warehouse.call('GET', '/api/v1/alerts?status=open');
        return answer.body.items?.find(
          (item: { sku: string; kind: string }) => item.sku === 'CW-LOW' && item.kind === 'low_stock',
        );
      },
      20_000,
      'the stored low-stock alert of CW-LOW',
    );
    const refused = await warehouse.call('POST', `/api/v1/alerts/${alert.id}/ack`, { reason: 'x', extra: 1 });
    expect(refused.status).toBe(400);
    const acked = await warehouse.call('POST', `/api/v1/alerts/${alert.id}/ack`, {
      reason: 'reorder placed with the supplier',
    });
    expect(acked.status).toBe(202);
    expect(await appliedOnSocket(acked.body.eventId)).toMatchObject({ eventType: 'alert_acknowledged', sku: 'CW-LOW' });
    const stored = await eventually(
      async () => {
        const [row] = await stack.infrastructure.dataSource.query<{ actor: string; reason: string }[]>(
          'SELECT actor, reason FROM inventory_events WHERE event_id = ?',
          [acked.body.eventId],
        );
        return row;
      },
      20_000,
      'the stored acknowledgement',
    );
    expect(stored).toEqual({ actor: 'wendy@example.com', reason: 'reorder placed with the supplier' });
  });

  it('reports a write the live apply refuses as rejected, with the reason, on the socket and over REST', async () => {
    // Valid on the wire, but its stock value (10,000,000 × 100,000,000.00) leaves the exact integer range.
    const absurd = await asAdmin('POST', '/api/v1/products', {
      sku: 'CW-HUGE',
      name: 'Gold bar',
      quantity: 10_000_000,
      unitCost: '100000000.00',
    });
    expect(absurd.status).toBe(202);
    const { eventId } = absurd.body;
    const outcome = await eventually(async () => rejected.get(eventId), 20_000, `write.rejected for ${eventId}`);
    expect(outcome).toEqual({ eventId, reason: expect.stringMatching(/stock value of CW-HUGE/) });
    expect(applied.has(eventId)).toBe(false);
    const status = await warehouse.call('GET', `/api/v1/writes/${eventId}`);
    expect(status.body).toEqual({ eventId, state: 'rejected', reason: outcome.reason });
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LiveStateRepository } from '@stockwall/aggregation';
import type { StockDelta, SubscribeAck, WireEvent } from '@stockwall/contracts';
import { aProductAdded, aQuantityChange } from './factories/wire-events';
import { eventually, TestStack } from './support/test-stack';

const SKUS = 620; // more than two snapshot pages of 250
const timestamp = '2024-05-02T10:00:00Z';

describe('Abuse limits: /live subscribes, forged client addresses, static files and the queue board', () => {
  let stack: TestStack;
  const dashboardDir = mkdtempSync(path.join(os.tmpdir(), 'stockwall-dashboard-'));

  beforeAll(async () => {
    writeFileSync(path.join(dashboardDir, 'index.html'), '<!doctype html><title>wall</title>');
    stack = await TestStack.start({
      shards: 1,
      env: {
        LIVE_SUBSCRIBE_BURST: '3',
        LIVE_SUBSCRIBES_PER_MINUTE: '1',
        RATE_LIMIT_MAX: '40',
        RATE_LIMIT_TTL_SECONDS: '60',
        DASHBOARD_DIR: dashboardDir,
      },
    });
    const events: WireEvent[] = Array.from({ length: SKUS }, (_, index) =>
      aProductAdded({
        location: index % 2 === 0 ? 'main' : 'north',
        sku: `LIM-${String(index).padStart(4, '0')}`,
        name: 'Item',
        quantity: index + 1,
        at: timestamp,
      }),
    );
    for (let start = 0; start < events.length; start += 200) await stack.publish(...events.slice(start, start + 200));
    const live = new LiveStateRepository(stack.infrastructure.redis, stack.config.redis.prefix);
    await eventually(async () => ((await live.readSnapshot()).rows.length === SKUS ? true : undefined), 30_000);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers a snapshot read in pages that equals the atomic read, for every location and one', async () => {
    const socket = await stack.connectLive();
    const live = new LiveStateRepository(stack.infrastructure.redis, stack.config.redis.prefix);
    for (const location of [undefined, 'north']) {
      const ack = await socket.emitWithAck('subscribe', { channels: ['stock'], filters: location ? { location } : {} });
      const atomic = await live.readSnapshot(location);
      if (!ack.ok) throw new Error(ack.error.message);
      expect(ack.snapshot.stock).toHaveLength(location ? SKUS / 2 : SKUS);
      expect(ack.snapshot.stock).toEqual(atomic.rows);
      expect(ack.version).toBe(atomic.version);
    }
    socket.disconnect();
  });

  it('brings rows that change while the pages are read to its version: snapshot plus deltas is the live state', async () => {
    const socket = await stack.connectLive();
    const deltas: StockDelta[] = [];
    socket.on('stock.delta', (delta) => deltas.push(delta));
    const changes = (async () => {
      for (let round = 0; round < 8; round++) {
        await stack.publish(
          aQuantityChange({ sku: `LIM-0${String(round * 70).padStart(3, '0')}`, delta: 1, at: timestamp }),
        );
      }
    })();
    const ack = await socket.emitWithAck('subscribe', { channels: ['stock'] });
    await changes;
    if (!ack.ok) throw new Error(ack.error.message);
    const live = new LiveStateRepository(stack.infrastructure.redis, stack.config.redis.prefix);
    await eventually(async () => {
      const atomic = await live.readSnapshot();
      // What a client holds: the snapshot, then each delta that continues from the version it holds.
      const rows = new Map(ack.snapshot.stock.map((row) => [`${row.sku}|${row.location}`, row]));
      let held = ack.version;
      for (const delta of [...deltas].sort((left, right) => left.version - right.version)) {
        if (delta.version <= held) continue;
        if (delta.previousVersion > held) throw new Error(`gap after ${held}`);
        for (const row of delta.rows) rows.set(`${row.sku}|${row.location}`, row);
        held = delta.version;
      }
      if (held !== atomic.version) return undefined;
      expect([...rows.values()].sort((left, right) => left.sku.localeCompare(right.sku))).toEqual(
        [...atomic.rows].sort((left, right) => left.sku.localeCompare(right.sku)),
      );
      return true;
    });
    socket.disconnect();
  });

  it('limits subscribes per token, and refuses a second one on a socket while its first is answered', async () => {
    const token = stack.token('viewer');
    const socket = await stack.connectLive(token);
    const [first, second] = await Promise.all([
      socket.emitWithAck('subscribe', { channels: ['stock'] }),
      socket.emitWithAck('subscribe', { channels: ['stock'] }),
    ]);
    expect(first.ok).toBe(true);
    expect(second).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'busy', retryAfterMs: expect.any(Number) }),
    });
    const acks: SubscribeAck[] = [];
    for (let index = 0; index < 3; index++) acks.push(await socket.emitWithAck('subscribe', { channels: ['kpis'] }));
    // A burst of 3, counting the busy one: the third of these is over it.
    const refused = acks.find((ack) => !ack.ok && ack.error.code === 'rate_limited');
    expect(refused).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'rate_limited', retryAfterMs: expect.any(Number) }),
    });
    expect(!refused?.ok && refused?.error.retryAfterMs).toBeGreaterThan(1_000);
    // The allowance is the token's: a new socket with the same token does not start afresh…
    const again = await stack.connectLive(token);
    expect(await again.emitWithAck('subscribe', { channels: ['kpis'] })).toMatchObject({
      ok: false,
      error: { code: 'rate_limited' },
    });
    // …another token has its own.
    const other = await stack.connectLive();
    expect((await other.emitWithAck('subscribe', { channels: ['kpis'] })).ok).toBe(true);
    for (const client of [socket, again, other]) client.disconnect();
  });

  it('refuses a token that connects again and again, with when to try again', async () => {
    const token = stack.token('viewer');
    for (let index = 0; index < 10; index++) (await stack.connectLive(token)).disconnect();
    const refusal = await stack.connectLive(token).then(
      () => null,
      (error: { message: string; data?: { code: string; retryAfterMs: number } }) => error,
    );
    expect(refusal).toMatchObject({
      message: 'rate_limited',
      data: { code: 'rate_limited', retryAfterMs: expect.any(Number) },
    });
    expect((await stack.connectLive()).connected).toBe(true);
  });

  it('disconnects a socket that keeps subscribing after it was refused', async () => {
    const socket = await stack.connectLive();
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const errors: { code: string }[] = [];
    socket.on('error', (error) => errors.push(error));
    for (let index = 0; index < 40 && socket.connected; index++) {
      void socket.emitWithAck('subscribe', { channels: ['kpis'] }).catch(() => undefined);
    }
    expect(await closed).toBe('io server disconnect');
    expect(errors).toEqual([expect.objectContaining({ code: 'rate_limited' })]);
  });

  it.each([
    ['a newline', 'main\nx'],
    ['an escape', '\u001b[2J'],
    ['a room name', 'stock@main'],
    ['too long', 'x'.repeat(65)],
    ['empty', ''],
  ])('refuses a location filter with %s', async (_, location) => {
    const socket = await stack.connectLive();
    const ack = await socket.emitWithAck('subscribe', { channels: ['stock'], filters: { location } });
    expect(ack).toEqual({ ok: false, error: expect.objectContaining({ code: 'bad_request' }) });
    expect(!ack.ok && ack.error.message).toMatch(/^filters\.location: /);
    socket.disconnect();
  });

  it('counts a client by its own address, whatever X-Forwarded-For it sends (no proxy is trusted by default)', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 45; index++) {
      const response = await fetch(`${stack.apiUrl}/api/v1/stock/LIM-0001`, {
        headers: { authorization: `Bearer ${stack.token('viewer')}`, 'x-forwarded-for': `10.0.${index}.1` },
      });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(40);
    expect(statuses.slice(-5)).toEqual([429, 429, 429, 429, 429]);
  });

  it('rate-limits the dashboard files and the queue board too, with a JSON 429', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 45; index++) {
      const response = await fetch(`${stack.apiUrl}${index % 2 === 0 ? '/' : '/admin/queues'}`);
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 2)).toEqual([200, 401]);
    expect(statuses.slice(-5)).toEqual([429, 429, 429, 429, 429]);
    const limited = await fetch(`${stack.apiUrl}/index.html`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited.json()).toMatchObject({ statusCode: 429 });
    // Health checks stay out of it.
    expect((await fetch(`${stack.apiUrl}/health/live`)).status).toBe(200);
  });
});

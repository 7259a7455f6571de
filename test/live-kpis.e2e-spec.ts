import {
  formatCents,
  KpisDelta,
  KpiWindow,
  LiveKpis,
  ResyncNotice,
  SubscribeAck,
  SubscribeRequest,
  WireEvent,
} from '@stockwall/contracts';
import { anOrder, aProductAdded } from './factories/wire-events';
import { seededRandom } from './support/seeded-random';
import { eventually, LiveClient, TestStack } from './support/test-stack';

const SKUS = ['KP-1', 'KP-2', 'KP-3', 'KP-4', 'KP-5', 'KP-6'];
const SOURCES = ['web', 'store'] as const;
const at = (second: number) => new Date(Date.UTC(2024, 5, 3, 9, 0, second)).toISOString();

/** What the orders put on the stream add up to: overall and per source. */
class Tally {
  private readonly figures = new Map<string, { orders: number; revenueCents: number; units: number }>();

  add(source: string, lines: { quantity: number; priceCents: number }[]): void {
    for (const scope of ['*', source]) {
      const figures = this.figures.get(scope) ?? { orders: 0, revenueCents: 0, units: 0 };
      figures.orders += 1;
      for (const line of lines) {
        figures.revenueCents += line.quantity * line.priceCents;
        figures.units += line.quantity;
      }
      this.figures.set(scope, figures);
    }
  }

  of(source: string | null): { orders: number; revenue: string; units: number } {
    const figures = this.figures.get(source ?? '*') ?? { orders: 0, revenueCents: 0, units: 0 };
    return { orders: figures.orders, revenue: formatCents(figures.revenueCents), units: figures.units };
  }
}

/**
 * One `/live` client following one kpis room as the protocol says: it holds the KPIs of its last
 * ack and replaces them with every delta whose version is not below the held one.
 */
class KpisFollower {
  readonly deltas: { delta: KpisDelta; receivedAt: number }[] = [];
  readonly resyncs: ResyncNotice[] = [];
  ack!: Extract<SubscribeAck, { ok: true }>;
  private held: { version: number; kpis: LiveKpis } | null = null;

  constructor(
    readonly socket: LiveClient,
    readonly window: KpiWindow,
    readonly source: string | null,
  ) {
    socket.on('kpis.delta', (delta) => {
      this.deltas.push({ delta, receivedAt: Date.now() });
      if (this.held && delta.version >= this.held.version) this.held = { version: delta.version, kpis: delta.kpis };
    });
    socket.on('kpis.resync', (notice) => this.resyncs.push(notice));
  }

  async subscribe(channels: SubscribeRequest['channels'] = ['kpis']): Promise<void> {
    const filters = this.source === null ? { window: this.window } : { window: this.window, source: this.source };
    const ack = await this.socket.emitWithAck('subscribe', { channels, filters });
    if (!ack.ok) throw new Error(ack.error.message);
    this.ack = ack;
    // A subscribe starts again from its snapshot (after a resync the version may have gone back).
    this.held = { version: ack.snapshot.kpis!.version, kpis: ack.snapshot.kpis!.kpis };
  }

  get latest(): LiveKpis | undefined {
    return this.held?.kpis;
  }

  since(index: number): KpisDelta[] {
    return this.deltas.slice(index).map((entry) => entry.delta);
  }
}

describe('Live protocol: the kpis channel', () => {
  let stack: TestStack;
  const tally = new Tally();
  const random = seededRandom(20240603);
  const prices = new Map(SKUS.map((sku, index) => [sku, 199 + index * 1_037]));
  let orderCount = 0;
  let second = 0;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 4 });
    await stack.publish(
      ...SKUS.map((sku) => aProductAdded({ occurredAt: at(0), sku, name: sku, quantity: 1_000_000, at: at(0) })),
    );
    await eventually(async () => {
      const { body } = await stack.get('/api/v1/kpis/live');
      return body.stock?.overall?.activeSkus === SKUS.length ? true : undefined;
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** Puts `count` random orders on the stream (event times spread over three minutes) and tallies them. */
  async function putOrders(count: number): Promise<void> {
    const events: WireEvent[] = [];
    for (let index = 0; index < count; index++) {
      const source = SOURCES[orderCount % SOURCES.length];
      const lineCount = 1 + Math.floor(random() * 3);
      const lines = Array.from({ length: lineCount }, () => {
        const sku = SKUS[Math.floor(random() * SKUS.length)];
        return {
          sku,
          quantity: 1 + Math.floor(random() * 5),
          priceCents: prices.get(sku)! + Math.floor(random() * 99),
        };
      });
      tally.add(source, lines);
      events.push(
        anOrder({
          id: `KO-${orderCount}`,
          orderId: `KO-${orderCount}`,
          occurredAt: at(second),
          source,
          lines: lines.map((line) => ({
            sku: line.sku,
            quantity: line.quantity,
            unit_price: formatCents(line.priceCents),
          })),
        }),
      );
      orderCount += 1;
      second = (second + 1) % 180;
    }
    await stack.publish(...events);
  }

  async function follow(window: KpiWindow, source: string | null, channels?: SubscribeRequest['channels']) {
    const follower = new KpisFollower(await stack.connectLive(), window, source);
    await follower.subscribe(channels);
    return follower;
  }

  function restPath(window: KpiWindow, source: string | null): string {
    return `/api/v1/kpis/live?window=${window}${source === null ? '' : `&source=${source}`}`;
  }

  it('answers a bad window or source with a clear error in the ack, and the socket stays usable', async () => {
    const socket = await stack.connectLive();

    const badWindow = await socket.emitWithAck('subscribe', {
      channels: ['kpis'],
      filters: { window: '2h' as KpiWindow },
    });
    const badSource = await socket.emitWithAck('subscribe', { channels: ['kpis'], filters: { source: '%bad' } });

    expect(badWindow).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'filters.window: must be one of 1m, 5m, 15m, 1h, 24h' },
    });
    expect(badSource.ok).toBe(false);
    expect(!badSource.ok && badSource.error.message).toMatch(/^filters\.source: must be a source code/);
    const good = await socket.emitWithAck('subscribe', { channels: ['kpis'] });
    expect(good.ok && good.snapshot.kpis?.kpis.window).toBe('15m');
    socket.disconnect();
  });

  it('acks the KPIs of GET /kpis/live with their version, then pushes deltas that end equal to it and to the orders put, at most 4 a second', async () => {
    const overall = [await follow('15m', null), await follow('15m', null)];
    const web = await follow('1h', 'web');
    const store = await follow('5m', 'store', ['stock', 'kpis']);
    const followers = [...overall, web, store];

    for (const follower of followers) {
      const { body } = await stack.get(restPath(follower.window, follower.source));
      expect(follower.ack.snapshot.kpis!.kpis).toEqual(body);
      expect(follower.ack.snapshot.kpis!.watermark).toBe(body.watermark);
    }
    // kpis alone reads no stock: the ack's version is the KPIs'. With stock, both are there.
    expect(web.ack.snapshot.stock).toEqual([]);
    expect(web.ack.version).toBe(web.ack.snapshot.kpis!.version);
    expect(store.ack.snapshot.stock.map((row) => row.sku).sort()).toEqual(SKUS);
    expect(store.ack.snapshot.kpis!.kpis).toMatchObject({ window: '5m', source: 'store', orders: 0 });
    const versionBefore = web.ack.snapshot.kpis!.version;

    // A burst: a put of 4 orders every 30 ms for about 3 s, applied in many small batches.
    const burstStart = Date.now();
    while (Date.now() - burstStart < 3_000) {
      await putOrders(4);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await eventually(
      async () =>
        followers.every((follower) => follower.latest?.orders === tally.of(follower.source).orders) ? true : undefined,
      20_000,
      'every follower to hold every order',
    );

    for (const follower of followers) {
      const { body } = await stack.get(restPath(follower.window, follower.source));
      expect(follower.latest).toEqual(body);
      expect(follower.latest).toMatchObject({ window: follower.window, ...tally.of(follower.source) });
    }
    expect(tally.of('web').orders + tally.of('store').orders).toBe(orderCount);

    const batches = (await stack.infrastructure.redis.get(`${stack.config.redis.prefix}version`)) as string;
    for (const follower of followers) {
      const deltas = follower.since(0);
      // Many batches, few messages: intermediate states were merged.
      expect(deltas.length).toBeGreaterThanOrEqual(4);
      expect(deltas.length).toBeLessThan(Number(batches) - versionBefore);
      for (let index = 1; index < deltas.length; index++) {
        expect(deltas[index].previousVersion).toBe(deltas[index - 1].version);
        expect(deltas[index].version).toBeGreaterThan(deltas[index - 1].version);
      }
      for (const delta of deltas) {
        expect(delta.watermark).toBe(delta.kpis.watermark);
        expect(delta.kpis).toMatchObject({ window: follower.window, source: follower.source });
      }
      // Sent at most 4 in any second (server clock), and so received (allowing 100 ms of delivery jitter).
      const sentAt = deltas.map((delta) => Date.parse(delta.serverTime));
      const receivedAt = follower.deltas.map((entry) => entry.receivedAt);
      for (let index = 4; index < sentAt.length; index++) {
        expect(sentAt[index] - sentAt[index - 4]).toBeGreaterThanOrEqual(1_000);
        expect(receivedAt[index] - receivedAt[index - 4]).toBeGreaterThanOrEqual(900);
      }
    }
    // One read per room and flush: both clients of the overall room got the very same messages.
    expect(overall[1].since(0)).toEqual(overall[0].since(0));
    for (const follower of followers) follower.socket.disconnect();
  });

  it('moves a client that subscribes again to its new window and source only', async () => {
    const follower = await follow('15m', null);
    await putOrders(6);
    await eventually(async () => (follower.latest?.orders === tally.of(null).orders ? true : undefined));

    const moved = new KpisFollower(follower.socket, '1h', 'store');
    await moved.subscribe();
    const before = follower.deltas.length;
    await putOrders(6);
    await eventually(async () => (moved.latest?.orders === tally.of('store').orders ? true : undefined));
    // Let a stray delta of the old room show itself if there were one.
    await new Promise((resolve) => setTimeout(resolve, 600));

    const after = follower.since(before);
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(after.every((delta) => delta.kpis.window === '1h' && delta.kpis.source === 'store')).toBe(true);
    const { body } = await stack.get(restPath('1h', 'store'));
    expect(moved.latest).toEqual(body);
    follower.socket.disconnect();
  });

  it('tells kpis clients to resync when the live-state version goes back, and the fresh snapshot is right', async () => {
    const follower = await follow('24h', 'web');
    // What a Redis reset looks like to the change feed: the next batch's version is below the last one seen.
    await stack.infrastructure.redis.set(`${stack.config.redis.prefix}version`, '1');
    await putOrders(2);

    const notice = await eventually(async () => follower.resyncs[0], 15_000, 'a kpis resync notice');
    expect(notice).toEqual({ reason: 'feed_gap', version: 2 });
    await follower.subscribe();
    expect(follower.ack.snapshot.kpis!.version).toBeGreaterThanOrEqual(2);
    await eventually(async () => (follower.latest?.orders === tally.of('web').orders ? true : undefined));
    const { body } = await stack.get(restPath('24h', 'web'));
    expect(follower.latest).toEqual(body);
    follower.socket.disconnect();
  });
});

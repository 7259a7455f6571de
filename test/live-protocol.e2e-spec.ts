import type { LiveConnectErrorData, ResyncNotice, StockDelta, SubscribeAck } from '@stockwall/contracts';
import { aProductAdded, aQuantityChange } from './factories/wire-events';
import { eventually, LiveClient, TestStack } from './support/test-stack';

const timestamp = '2024-05-02T10:00:00Z';

describe('Live protocol: snapshot and version, freshness, resync, connection limit', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 1, env: { MAX_CONNECTIONS: '3', LIVE_RETRY_AFTER_MS: '2000' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function subscribed(): Promise<{ socket: LiveClient; ack: Extract<SubscribeAck, { ok: true }> }> {
    const socket = await stack.connectLive();
    const ack = await socket.emitWithAck('subscribe', { channels: ['stock'] });
    if (!ack.ok) throw new Error(ack.error.message);
    return { socket, ack };
  }

  it('answers subscribe with a snapshot and version, then deltas carrying their range, event time and send time', async () => {
    await stack.publish(aProductAdded({ sku: 'PR-1', name: 'Lamp', quantity: 4, at: timestamp }));
    await eventually(async () => ((await stack.get('/api/v1/stock/PR-1')).status === 200 ? true : undefined));
    const { socket, ack } = await subscribed();
    expect(ack.snapshot.stock).toEqual([expect.objectContaining({ sku: 'PR-1', onHand: 4 })]);
    expect(ack.version).toBeGreaterThanOrEqual(1);
    const deltas: StockDelta[] = [];
    socket.on('stock.delta', (delta) => deltas.push(delta));

    const later = '2024-05-02T10:05:00Z';
    await stack.publish(aQuantityChange({ occurredAt: later, sku: 'PR-1', delta: -1, at: later }));

    const delta = await eventually(async () => deltas.find((candidate) => candidate.rows.length > 0));
    expect(delta.previousVersion).toBeLessThanOrEqual(ack.version);
    expect(delta.version).toBeGreaterThan(ack.version);
    expect(delta.rows).toEqual([expect.objectContaining({ sku: 'PR-1', onHand: 3 })]);
    expect(delta.watermark).toBe('2024-05-02T10:05:00.000Z');
    expect(Math.abs(Date.parse(delta.serverTime!) - Date.now())).toBeLessThan(5_000);
    socket.disconnect();
  });

  it('tells subscribers to resync when the change feed skips a version, and the fresh snapshot is right', async () => {
    const { socket } = await subscribed();
    const resyncs: ResyncNotice[] = [];
    socket.on('stock.resync', (notice) => resyncs.push(notice));
    // A change notice that never reaches the feed (trimmed while it was away) looks exactly like this.
    await stack.infrastructure.redis.incr(`${stack.config.redis.prefix}version`);
    await stack.publish(aQuantityChange({ sku: 'PR-1', delta: 10, at: timestamp }));

    const notice = await eventually(async () => resyncs[0], 10_000, 'a resync notice');
    expect(notice.reason).toBe('feed_gap');
    const again = await socket.emitWithAck('subscribe', { channels: ['stock'] });
    expect(again.ok && again.version).toBeGreaterThanOrEqual(notice.version);
    expect(again.ok && again.snapshot.stock.find((row) => row.sku === 'PR-1')?.onHand).toBe(13);
    socket.disconnect();
  });

  it('refuses connections over MAX_CONNECTIONS with "overloaded" and a jittered retry delay, without dropping the others', async () => {
    await eventually(async () => ((await stack.get('/health/live', null)).status === 200 ? true : undefined));
    const admitted = [await stack.connectLive(), await stack.connectLive(), await stack.connectLive()];
    const refused = await stack.connectLive().then(
      () => null,
      (error: Error & { data?: LiveConnectErrorData }) => error,
    );
    expect(refused?.message).toBe('overloaded');
    expect(refused?.data?.code).toBe('overloaded');
    expect(refused?.data?.retryAfterMs).toBeGreaterThanOrEqual(2_000);
    expect(refused?.data?.retryAfterMs).toBeLessThanOrEqual(4_000);
    expect(admitted.every((socket) => socket.connected)).toBe(true);

    admitted[0].disconnect();
    await eventually(
      async () =>
        await stack.connectLive().then(
          (socket) => socket.connected || undefined,
          () => undefined,
        ),
      5_000,
      'a free slot',
    );
    for (const socket of admitted) socket.disconnect();
  });
});

import { LIVE_ALERT_SNAPSHOT_LIMIT, type AlertMessage, type SubscribeAck, type WireEvent } from '@stockwall/contracts';
import { aProductAdded, aQuantityChange } from './factories/wire-events';
import { eventually, LiveClient, TestStack } from './support/test-stack';

const at = (second: number) => new Date(Date.UTC(2024, 6, 1, 9, 0, second)).toISOString();

describe('Live protocol: the alerts channel snapshot', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // One shard: the alert outbox then holds alerts in the order they were published.
    stack = await TestStack.start({ shards: 1 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function subscribe(socket: LiveClient): Promise<Extract<SubscribeAck, { ok: true }>> {
    const ack = await socket.emitWithAck('subscribe', { channels: ['stock', 'alerts'] });
    if (!ack.ok) throw new Error(ack.error.message);
    return ack;
  }

  async function availableOf(sku: string): Promise<number | undefined> {
    const response = await stack.get(`/api/v1/stock/${sku}`);
    return response.status === 200 ? (response.body as { available: number }).available : undefined;
  }

  it('gives a client that reconnects the alerts raised while it was away, newest first', async () => {
    const first = await stack.connectLive();
    const firstAck = await subscribe(first);
    expect(firstAck.snapshot.alerts).toEqual([]);
    const pushed: AlertMessage[] = [];
    first.on('alert', (message) => pushed.push(message));

    await stack.publish(
      aProductAdded({ occurredAt: at(0), sku: 'AL-1', name: 'Lantern', quantity: 5, at: at(0), reorderPoint: 2 }),
      aQuantityChange({ occurredAt: at(10), sku: 'AL-1', delta: -3, at: at(10) }),
    );
    const low = await eventually(async () => pushed.find((message) => message.alert.kind === 'low_stock'));
    first.disconnect();

    // Raised while no client is connected: the only way to it is the next snapshot.
    await stack.publish(aQuantityChange({ occurredAt: at(20), sku: 'AL-1', delta: -2, at: at(20) }));
    // The alert is written by the same atomic apply as the stock it describes.
    await eventually(async () => ((await availableOf('AL-1')) === 0 ? true : undefined));

    const second = await stack.connectLive();
    const secondAck = await subscribe(second);
    expect(secondAck.snapshot.alerts).toEqual([
      expect.objectContaining({ kind: 'out_of_stock', sku: 'AL-1', available: 0, occurredAt: at(20) }),
      low.alert,
    ]);
    second.disconnect();
  });

  it(`carries at most ${LIVE_ALERT_SNAPSHOT_LIMIT} alerts, the latest, with no id twice`, async () => {
    const count = LIVE_ALERT_SNAPSHOT_LIMIT + 5;
    // A SKU added with nothing on hand is out of stock at once: one alert each.
    const events: WireEvent[] = Array.from({ length: count }, (_unused, index) =>
      aProductAdded({ occurredAt: at(30), sku: `AB-${index}`, name: 'Bulb', quantity: 0, at: at(30) }),
    );
    await stack.publish(...events);
    await eventually(async () => ((await availableOf(`AB-${count - 1}`)) === 0 ? true : undefined));

    const socket = await stack.connectLive();
    const alerts = (await subscribe(socket)).snapshot.alerts ?? [];
    expect(alerts).toHaveLength(LIVE_ALERT_SNAPSHOT_LIMIT);
    expect(new Set(alerts.map((alert) => alert.id)).size).toBe(LIVE_ALERT_SNAPSHOT_LIMIT);
    expect(alerts.map((alert) => alert.sku)).toEqual(
      Array.from({ length: LIVE_ALERT_SNAPSHOT_LIMIT }, (_unused, index) => `AB-${count - 1 - index}`),
    );
    expect(alerts.every((alert) => alert.kind === 'out_of_stock')).toBe(true);

    // A subscription without `alerts` carries none.
    const stockOnly = await socket.emitWithAck('subscribe', { channels: ['stock'] });
    expect(stockOnly.ok && stockOnly.snapshot.alerts).toBeUndefined();
    socket.disconnect();
  });
});

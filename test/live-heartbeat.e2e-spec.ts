import { LIVE_HEARTBEAT_MS, type LiveHeartbeat, type SubscribeRequest } from '@stockwall/contracts';
import { ChangeFeedService } from '../apps/api/src/live/change-feed.service';
import { aProductAdded, aQuantityChange } from './factories/wire-events';
import { eventually, LiveClient, TestStack } from './support/test-stack';

const timestamp = '2024-07-02T10:00:00Z';

interface Received {
  heartbeat: LiveHeartbeat;
  receivedAt: number;
}

describe('Live protocol: heartbeats of quiet rooms', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 1 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function follow(request: SubscribeRequest): Promise<{ socket: LiveClient; heartbeats: Received[] }> {
    const socket = await stack.connectLive();
    const heartbeats: Received[] = [];
    socket.on('live.heartbeat', (heartbeat) => heartbeats.push({ heartbeat, receivedAt: Date.now() }));
    const ack = await socket.emitWithAck('subscribe', request);
    if (!ack.ok) throw new Error(ack.error.message);
    return { socket, heartbeats };
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('sends a subscribed client a heartbeat every few seconds while no events flow, once per socket', async () => {
    const { socket, heartbeats } = await follow({ channels: ['stock', 'kpis', 'alerts'] });
    const subscribedAt = Date.now();
    const heard: { event: string; receivedAt: number }[] = [];
    socket.onAny((event: string) => heard.push({ event, receivedAt: Date.now() }));

    // The server looks every second: a heartbeat comes 3 to 4 s after the last message.
    await sleep(4 * (LIVE_HEARTBEAT_MS + 1_000));

    expect(heartbeats.length).toBeGreaterThanOrEqual(3);
    for (const { heartbeat, receivedAt } of heartbeats) {
      expect(typeof heartbeat.version).toBe('number');
      expect(Math.abs(Date.parse(heartbeat.serverTime) - receivedAt)).toBeLessThan(2_000);
      // The feed blocks at most a second per read, so a healthy feed was read just before.
      expect(heartbeat.feedReadAt).not.toBeNull();
      expect(Date.parse(heartbeat.serverTime) - Date.parse(heartbeat.feedReadAt!)).toBeLessThan(2_500);
    }
    // Three rooms, one heartbeat: never two close together; and never a long silence.
    const heartbeatGaps = heartbeats.slice(1).map((entry, index) => entry.receivedAt - heartbeats[index].receivedAt);
    expect(Math.min(...heartbeatGaps)).toBeGreaterThanOrEqual(LIVE_HEARTBEAT_MS - 200);
    const times = [subscribedAt, ...heard.map((entry) => entry.receivedAt), Date.now()];
    const silences = times.slice(1).map((time, index) => time - times[index]);
    expect(Math.max(...silences)).toBeLessThanOrEqual(LIVE_HEARTBEAT_MS + 1_500);
    socket.disconnect();
  });

  it('sends none to a room that keeps sending deltas', async () => {
    await stack.publish(aProductAdded({ sku: 'HB-1', name: 'Bell', quantity: 1_000, at: timestamp }));
    await eventually(async () => ((await stack.get('/api/v1/stock/HB-1')).status === 200 ? true : undefined));
    const { socket, heartbeats } = await follow({ channels: ['stock'] });
    let deltas = 0;
    socket.on('stock.delta', () => deltas++);

    for (let step = 0; step < 12; step++) {
      await stack.publish(aQuantityChange({ sku: 'HB-1', delta: -1, at: timestamp }));
      await sleep(500);
    }

    expect(deltas).toBeGreaterThanOrEqual(6);
    expect(heartbeats).toEqual([]);
    socket.disconnect();
  });

  it('keeps sending heartbeats when the change feed stops, and their feedReadAt shows how long ago it read', async () => {
    const { socket, heartbeats } = await follow({ channels: ['stock'] });
    await eventually(async () => heartbeats[0], 10_000, 'a first heartbeat');

    // The API process's change-feed reader stops reading; the process and its sockets stay up.
    await stack.api!.get(ChangeFeedService).onApplicationShutdown();
    const stalled = await eventually(
      async () =>
        heartbeats.find(
          ({ heartbeat }) =>
            heartbeat.feedReadAt !== null &&
            Date.parse(heartbeat.serverTime) - Date.parse(heartbeat.feedReadAt) > LIVE_HEARTBEAT_MS,
        ),
      15_000,
      'a heartbeat whose feed read is old',
    );
    expect(socket.connected).toBe(true);
    expect(Date.parse(stalled.heartbeat.serverTime)).toBeGreaterThan(Date.parse(stalled.heartbeat.feedReadAt!));
    socket.disconnect();
  });
});

import type { WireEvent } from '@stockwall/contracts';
import { aProductAdded, aQuantityChange } from './factories/wire-events';
import { ApiProcess, envOf, freePort, LiveMirror, TcpBalancer } from './support/live-cluster';
import { eventually, TestStack } from './support/test-stack';
import { MIN_FLUSH_INTERVAL_MS } from '../apps/api/src/live/stock-delta-coalescer';

const timestamp = '2024-05-01T10:00:00Z';
const SKUS = Array.from({ length: 12 }, (_, index) => `MN-${index}`);

describe('Live API: two API processes behind a balancer, one killed', () => {
  let stack: TestStack;
  let nodes: ApiProcess[];
  let balancer: TcpBalancer;
  const mirrors: LiveMirror[] = [];
  const expected: Record<string, number> = {};

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 2, api: false });
    const ports = [await freePort(), await freePort()];
    nodes = ports.map((port) => new ApiProcess(port, envOf(stack.config)));
    await Promise.all(nodes.map((node) => node.ready()));
    balancer = new TcpBalancer(ports);
    await balancer.start();
  }, 60_000);

  afterAll(async () => {
    for (const mirror of mirrors) mirror.close();
    await balancer?.stop();
    await Promise.all((nodes ?? []).map((node) => node.kill('SIGTERM')));
    await stack?.stop();
  });

  async function changeStock(rounds: number): Promise<void> {
    for (let round = 0; round < rounds; round++) {
      const events: WireEvent[] = SKUS.map((sku, index) => {
        const delta = ((round + index) % 5) - 1 || 2;
        expected[sku] += delta;
        return aQuantityChange({ sku, delta, at: timestamp });
      });
      await stack.publish(...events);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function allMirrorsMatch(what: string): Promise<void> {
    await eventually(
      async () => (mirrors.every((mirror) => sameStock(mirror.onHand(), expected)) ? true : undefined),
      20_000,
      what,
    );
  }

  it('gives every client on either node every update, coalesced to at most 4 deltas per second', async () => {
    for (let index = 0; index < 8; index++) mirrors.push(new LiveMirror(balancer.url, stack.token('viewer')));
    await eventually(async () => (mirrors.every((mirror) => mirror.version !== null) ? true : undefined), 10_000);

    await stack.publish(
      ...SKUS.map((sku) => {
        expected[sku] = 1_000;
        return aProductAdded({ sku, name: sku, quantity: 1_000, at: timestamp });
      }),
    );
    await changeStock(20);
    await allMirrorsMatch('every mirror to hold the published stock');

    for (const mirror of mirrors) {
      // Server times: when the node sent each delta. Receive times would also measure this test
      // process's event loop, which runs the worker too and can hand two messages over together.
      const times = mirror.deltas.map((entry) => Date.parse(entry.delta.serverTime ?? 'missing'));
      const gaps = times.slice(1).map((at, index) => at - times[index]);
      expect(times.every(Number.isFinite)).toBe(true);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(MIN_FLUSH_INTERVAL_MS);
      expect(mirror.gaps).toBe(0);
    }
    // 21 batches of events became far fewer messages per client.
    expect(Math.max(...mirrors.map((mirror) => mirror.deltas.length))).toBeLessThan(21 * 2);
  });

  it('moves the clients of a killed node to the other, where they end with the same state', async () => {
    const subscribesBefore = mirrors.map((mirror) => mirror.subscribes);
    // Right after the kill the killed node's sockets still look connected: its clients are the
    // ones that see a disconnect, and they are back only once they have subscribed again.
    const dropped = new Set<number>();
    mirrors.forEach((mirror, index) => mirror.socket.once('disconnect', () => dropped.add(index)));
    await nodes[0].kill('SIGKILL');

    // Round robin put half of the clients on the killed node.
    await eventually(
      async () =>
        dropped.size === mirrors.length / 2 &&
        [...dropped].every((index) => mirrors[index].subscribes > subscribesBefore[index]) &&
        mirrors.every((mirror) => mirror.socket.connected)
          ? true
          : undefined,
      15_000,
      "the killed node's clients to reconnect and subscribe again on the other",
    );
    await changeStock(10);
    await allMirrorsMatch('every mirror to hold the stock changed after the kill');

    // Only the killed node's clients moved; each resubscribed for a snapshot on the other.
    const moved = mirrors.flatMap((mirror, index) => (mirror.subscribes > subscribesBefore[index] ? [index] : []));
    expect(moved).toEqual([...dropped].sort((left, right) => left - right));
    expect(moved.length).toBe(mirrors.length / 2);
    const rest = await fetch(`${nodes[1].url}/api/v1/stock?search=MN-&limit=100`, {
      headers: { authorization: `Bearer ${stack.token('viewer')}` },
    });
    const body = (await rest.json()) as { rows: { sku: string; onHand: number }[] };
    expect(Object.fromEntries(body.rows.map((row) => [row.sku, row.onHand]))).toEqual(expected);
  });
});

function sameStock(actual: Record<string, number>, expected: Record<string, number>): boolean {
  return Object.entries(expected).every(([sku, onHand]) => actual[sku] === onHand);
}

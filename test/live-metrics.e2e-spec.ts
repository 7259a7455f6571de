import type { StockDelta } from '@stockwall/contracts';
import { aProductAdded } from './factories/wire-events';
import { eventually, TestStack } from './support/test-stack';

/** One sample's value from the Prometheus text, e.g. `stockwall_api_live_connections` or `…{reason="x"}`. */
function sample(text: string, name: string): number | null {
  const line = text.split('\n').find((entry) => entry.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : null;
}

describe('Live metrics on /metrics', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 1 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const scrape = async () => (await fetch(`${stack.apiUrl}/metrics`)).text();

  it('counts open connections, refused handshakes, room broadcasts and the change feed’s read age', async () => {
    const client = await stack.connectLive();
    const ack = await client.timeout(5_000).emitWithAck('subscribe', { channels: ['stock'] });
    expect(ack.ok).toBe(true);
    await expect(stack.connectLive('not-a-token')).rejects.toThrow('unauthorized');
    await expect(stack.connectLive(null)).rejects.toThrow('unauthorized');

    const delta = new Promise<StockDelta>((resolve) => client.once('stock.delta', resolve));
    await stack.publish(aProductAdded({ sku: 'MET-1', name: 'Metric', quantity: 3, at: '2024-05-01T10:00:00Z' }));
    await delta;

    const text = await eventually(
      async () => {
        const scraped = await scrape();
        return (sample(scraped, 'stockwall_api_live_broadcasts_total{type="stock.delta"}') ?? 0) >= 1
          ? scraped
          : undefined;
      },
      10_000,
      'the stock delta counted',
    );
    expect(sample(text, 'stockwall_api_live_connections')).toBe(1);
    expect(sample(text, 'stockwall_api_live_refused_total{reason="unauthorized"}')).toBe(2);
    const age = sample(text, 'stockwall_api_live_feed_read_age_seconds');
    expect(age).not.toBeNull();
    expect(age!).toBeGreaterThanOrEqual(0);
    expect(age!).toBeLessThan(5);

    client.disconnect();
    await eventually(
      async () => (sample(await scrape(), 'stockwall_api_live_connections') === 0 ? true : undefined),
      5_000,
      'the closed connection no longer counted',
    );
  });
});

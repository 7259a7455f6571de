import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { WireEvent } from '@stockwall/contracts';
import { reconcile } from '../apps/cli/src/commands/reconcile.command';
import { runReplay } from '../apps/cli/src/replay/replay-runner';
import { DATASETS_DIR } from './support/datasets';
import { eventually, TestStack } from './support/test-stack';

/**
 * November 2011 of Online Retail (84,737 rows) as fast as it can be put, on 4 shards with 2 workers.
 * Orders are keyed by their first line's SKU, so their other lines race the product_added (a set)
 * and the cost of SKUs on other shards; to be sure they do, half the sales are put before the
 * catalog. Whatever order the shards are read in, Redis, MySQL and a fold of every stored event in
 * the apply order must agree exactly: stock per SKU and the 1h and 24h windows, to the cent.
 */
describe('One order of effects across shards', () => {
  jest.setTimeout(600_000);
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 4, workers: 2, api: false });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('leaves Redis, MySQL and the recomputation equal when multi-SKU orders race their SKUs across shards', async () => {
    const directory = join(DATASETS_DIR, 'online-retail/by-day');
    const files = readdirSync(directory)
      .filter((name) => name.startsWith('2011-11-'))
      .sort()
      .map((name) => join(directory, name));
    const catalog: WireEvent[] = [];
    const sales: WireEvent[] = [];
    const summary = await runReplay({
      files,
      format: 'online-retail',
      publish: async (events) => {
        for (const event of events) (event.event_type === 'product_added' ? catalog : sales).push(event);
      },
    });
    expect(summary.rowsRead).toBeGreaterThan(84_000);
    const half = Math.floor(sales.length / 2);
    const put = async (events: WireEvent[]) => {
      for (let start = 0; start < events.length; start += 500) await stack.publish(...events.slice(start, start + 500));
    };
    await put(sales.slice(0, half));
    await put(catalog);
    await put(sales.slice(half));

    const data = stack.infrastructure.dataSource;
    await eventually(
      async () => {
        const [{ count }] = await data.query<{ count: string }[]>('SELECT COUNT(*) AS count FROM inventory_events');
        return Number(count) === summary.eventsSent ? true : undefined;
      },
      480_000,
      `${summary.eventsSent} events in MySQL`,
    );
    const report = await reconcile(stack.config, { waitSeconds: 120 });
    expect(report).toMatchObject({ drift: [], notes: [], recomputed: true, windows: ['1h', '24h'] });
    expect(report.skus).toBeGreaterThan(2_000);

    // The race did happen: order lines applied before their SKU's definition, by the apply order.
    const [{ raced }] = await data.query<{ raced: string }[]>(
      `SELECT COUNT(*) AS raced FROM inventory_event_lines l
       JOIN inventory_events e ON e.event_id = l.event_id
       JOIN inventory_events a ON a.event_type = 'product_added' AND a.sku = l.sku
       WHERE e.event_type IN ('order_placed', 'order_fulfilled') AND e.apply_version < a.apply_version`,
    );
    expect(Number(raced)).toBeGreaterThan(100);
    // And the stock the apply order gives is what MySQL holds, row by row (reconcile compared Redis with both).
    const [{ unequal }] = await data.query<{ unequal: string }[]>(
      `SELECT COUNT(*) AS unequal FROM stock_levels WHERE live_version IS NULL`,
    );
    expect(Number(unequal)).toBe(0);
  });
});

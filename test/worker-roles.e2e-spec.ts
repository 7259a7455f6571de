import { bullConnection, closeWithConnection, createPersistQueue } from '../apps/worker/src/persist-queue';
import { aProductAdded } from './factories/wire-events';
import { eventually, TestStack } from './support/test-stack';

const timestamp = '2024-04-01T12:00:00Z';

describe('Worker roles', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ workers: 0, shards: 2 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('an ingest-only worker fills Redis and leaves persist jobs queued; a jobs-only worker writes them to MySQL', async () => {
    await stack.startWorker(['ingest']);
    await stack.publish(
      ...['ROLE-A', 'ROLE-B', 'ROLE-C'].map((sku, index) =>
        aProductAdded({ id: `${sku}-added`, sku, name: sku, quantity: 10 + index, at: timestamp }),
      ),
    );
    const live = await eventually(async () => {
      const response = await stack.get('/api/v1/stock?search=ROLE-');
      return response.body.rows?.length === 3 ? response.body.rows : undefined;
    });
    expect(live.map((row: { onHand: number }) => row.onHand)).toEqual([10, 11, 12]);

    const queue = createPersistQueue(bullConnection(stack.config.redis.url), stack.config.queue.prefix);
    const waiting = await queue.getWaitingCount();
    expect(waiting).toBeGreaterThan(0);
    const [{ count }] = await stack.infrastructure.dataSource.query<{ count: string }[]>(
      'SELECT COUNT(*) AS count FROM inventory_events',
    );
    expect(Number(count)).toBe(0);

    await stack.startWorker(['jobs']);
    const persisted = await eventually(async () => {
      const rows = await stack.infrastructure.dataSource.query<{ sku: string; on_hand: number }[]>(
        "SELECT sku, on_hand FROM stock_levels WHERE sku LIKE 'ROLE-%' ORDER BY sku",
      );
      return rows.length === 3 ? rows : undefined;
    });
    expect(persisted.map((row) => Number(row.on_hand))).toEqual([10, 11, 12]);
    expect(await queue.getWaitingCount()).toBe(0);
    await closeWithConnection(queue);
  });
});

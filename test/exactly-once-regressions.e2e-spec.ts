import { LiveStateRepository } from '@stockwall/aggregation';
import type { WireEvent } from '@stockwall/contracts';
import { reconcile } from '../apps/cli/src/commands/reconcile.command';
import { aProductAdded, aQuantityChange } from './factories/wire-events';
import { eventually, TestStack } from './support/test-stack';

/**
 * Cases that once broke exactly-once, each through the whole pipeline: Kinesis (4 shards), two
 * workers, Redis and MySQL, ending with reconcile (Redis = MySQL = every stored event folded again).
 */
const at = (minutes: number) => new Date(Date.now() - 3_600_000 + minutes * 60_000).toISOString();

describe('exactly once, through faults of the input', () => {
  jest.setTimeout(240_000);

  describe('counters that would leave the exact integer range', () => {
    let stack: TestStack;

    beforeAll(async () => {
      stack = await TestStack.start({ shards: 4, workers: 2, api: false });
    });

    afterAll(async () => {
      await stack?.stop();
    });

    it('dead-letters each event that would overflow, in both stores, and applies every other one once', async () => {
      // 10,000,000 units at 1,000,000.00 each is 10^15 cents of stock value: eight more such
      // adjustments still fit under 2^53 − 1 cents, the ninth and every later one does not.
      const events: WireEvent[] = [
        aProductAdded({
          id: 'big-added',
          sku: 'BIG-1',
          name: 'Pallet',
          quantity: 10_000_000,
          unitCost: '1000000.00',
          at: at(0),
        }),
        ...Array.from({ length: 95 }, (_, index) =>
          aQuantityChange({ id: `big-more-${index}`, sku: 'BIG-1', delta: 10_000_000, at: at(1 + index / 100) }),
        ),
        ...Array.from({ length: 20 }, (_, index) =>
          aProductAdded({ id: `small-${index}`, sku: `SMALL-${index}`, name: 'Cup', quantity: 5 + index, at: at(2) }),
        ),
      ];
      for (let start = 0; start < events.length; start += 30) await stack.publish(...events.slice(start, start + 30));

      const data = stack.infrastructure.dataSource;
      const refused = await eventually(
        async () => {
          const [{ count }] = await data.query<{ count: string }[]>(
            "SELECT COUNT(*) AS count FROM dead_letters WHERE reason = 'apply_refused'",
          );
          const [{ stored }] = await data.query<{ stored: string }[]>(
            'SELECT COUNT(*) AS stored FROM inventory_events',
          );
          return Number(count) === 87 && Number(stored) === 1 + 8 + 20 ? Number(count) : undefined;
        },
        180_000,
        '87 refused adjustments dead-lettered and the rest stored',
      );
      expect(refused).toBe(87);
      const live = new LiveStateRepository(stack.infrastructure.redis, stack.config.redis.prefix);
      expect((await live.findStock('BIG-1')).map((row) => row.onHand)).toEqual([90_000_000]);
      const [detail] = await data.query<{ detail: string }[]>(
        "SELECT detail FROM dead_letters WHERE reason = 'apply_refused' LIMIT 1",
      );
      expect(detail.detail).toMatch(/big-more-\d+.*(stock value|stock total).*exact integer range/);
      const report = await reconcile(stack.config, { waitSeconds: 60 });
      expect(report).toMatchObject({ drift: [], notes: [], recomputed: true });
    });
  });

  describe('producer retries', () => {
    let stack: TestStack;

    beforeAll(async () => {
      stack = await TestStack.start({ shards: 4, workers: 2, api: false, env: { DEDUPE_WINDOW_SECONDS: '2' } });
    });

    afterAll(async () => {
      await stack?.stop();
    });

    it('counts a retry within the window once and one after it twice, the same way in Redis and MySQL', async () => {
      const live = new LiveStateRepository(stack.infrastructure.redis, stack.config.redis.prefix);
      const onHand = async () => (await live.findStock('RETRY-1'))[0]?.onHand;
      await stack.publish(aProductAdded({ id: 'retry-added', sku: 'RETRY-1', name: 'Mug', quantity: 100, at: at(0) }));
      const change = (id: string, delta: number) => aQuantityChange({ id, sku: 'RETRY-1', delta, at: at(1) });
      await stack.publish(change('late-retry', 5));
      await eventually(async () => ((await onHand()) === 105 ? true : undefined), 30_000, 'the first delivery');
      // Past the 2 s window (its buckets expire after 3 s): the same event again is a new one to the live state.
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      await stack.publish(change('late-retry', 5));
      // Within the window, in one put: counted once.
      await stack.publish(change('quick-retry', 7), change('quick-retry', 7));
      await eventually(async () => ((await onHand()) === 117 ? true : undefined), 30_000, 'the retries applied');

      const data = stack.infrastructure.dataSource;
      const stored = await eventually(
        async () => {
          const rows = await data.query<{ event_id: string }[]>(
            "SELECT event_id FROM inventory_events WHERE event_id LIKE '%retry%' ORDER BY id",
          );
          return rows.length === 4 ? rows.map((row) => row.event_id) : undefined;
        },
        30_000,
        'four stored events',
      );
      expect(stored[0]).toBe('retry-added');
      expect(stored.filter((id) => id === 'late-retry')).toHaveLength(1);
      expect(stored.filter((id) => /^late-retry~r[0-9a-f]{20}$/.test(id))).toHaveLength(1);
      expect(stored.filter((id) => id === 'quick-retry')).toHaveLength(1);
      const report = await reconcile(stack.config, { waitSeconds: 60 });
      expect(report).toMatchObject({ drift: [], notes: [], recomputed: true });
      const [level] = await data.query<{ on_hand: string }[]>("SELECT on_hand FROM stock_levels WHERE sku = 'RETRY-1'");
      expect(Number(level.on_hand)).toBe(117);
    });
  });
});

import type { PersistBatchJob, StreamPosition } from '@stockwall/contracts';
import {
  bullConnection,
  closeWithConnection,
  createPersistQueue,
  enqueuePersistBatch,
} from '../apps/worker/src/persist-queue';
import { applyLive, position, quantityChangeJob } from './support/persist-jobs';
import { eventually, TestStack } from './support/test-stack';

const batch = (after: StreamPosition | null, last: StreamPosition, sku: string, delta: number): PersistBatchJob =>
  quantityChangeJob({
    streamName: 'ordering-stream',
    shardId: 'shardId-000000000007',
    after,
    last,
    sku,
    delta,
    occurredAt: '2024-02-01T10:00:00Z',
  });

describe('persist-batch ordering', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ api: false });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('holds a batch that arrives before its predecessor briefly, without spending attempts, then applies both in order', async () => {
    const queue = createPersistQueue(bullConnection(stack.config.redis.url), stack.config.queue.prefix);
    const first = batch(null, position('1000'), 'ORD-1', 5);
    const second = batch(position('1000'), position('2000'), 'ORD-1', -2);
    await applyLive(stack.infrastructure.redis, stack.config.redis.prefix, first, second);
    const enqueuedAt = Date.now();
    await enqueuePersistBatch(queue, second);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the second is tried, and held, first
    await enqueuePersistBatch(queue, first);

    const onHand = await eventually(
      async () => {
        const rows = await stack.infrastructure.dataSource.query<{ on_hand: number }[]>(
          "SELECT on_hand FROM stock_levels WHERE sku = 'ORD-1'",
        );
        const [position] = await stack.infrastructure.dataSource.query<{ sequence_number: string }[]>(
          "SELECT sequence_number FROM shard_positions WHERE shard_id = 'shardId-000000000007'",
        );
        return position?.sequence_number === '2000' ? Number(rows[0]?.on_hand) : undefined;
      },
      10_000,
      'both batches persisted',
    );
    expect(onHand).toBe(3);
    expect(Date.now() - enqueuedAt).toBeLessThan(5_000);
    // Waiting for a predecessor is not a failure: each job counts only its one successful
    // attempt (a failed-then-retried job would count two) and records no error.
    const jobs = await queue.getJobs(['completed']);
    expect(jobs).toHaveLength(2);
    expect(jobs.map((job) => [job.attemptsMade, job.failedReason ?? null])).toEqual([
      [1, null],
      [1, null],
    ]);
    await closeWithConnection(queue);
  });
  it('persists an empty batch (its records all filtered out) by advancing the position, so the next one is not held', async () => {
    const queue = createPersistQueue(bullConnection(stack.config.redis.url), stack.config.queue.prefix);
    const shardId = 'shardId-000000000008';
    const empty: PersistBatchJob = {
      ...batch(null, position('5000'), 'ORD-2', 0),
      shardId,
      events: [],
    };
    const next = { ...batch(position('5000'), position('6000'), 'ORD-2', 4), shardId };
    await applyLive(stack.infrastructure.redis, stack.config.redis.prefix, empty, next);
    await enqueuePersistBatch(queue, empty);
    await enqueuePersistBatch(queue, next);
    const onHand = await eventually(
      async () => {
        const [row] = await stack.infrastructure.dataSource.query<
          { sequence_number: string; on_hand: string | null }[]
        >(
          `SELECT sequence_number, (SELECT on_hand FROM stock_levels WHERE sku = 'ORD-2') AS on_hand
           FROM shard_positions WHERE shard_id = ?`,
          [shardId],
        );
        return row?.sequence_number === '6000' ? Number(row.on_hand) : undefined;
      },
      10_000,
      'the batch after the empty one',
    );
    expect(onHand).toBe(4);
    await closeWithConnection(queue);
  });

  it("persists a child shard's first batch only after its parent's last one, so a set and a delta keep their order", async () => {
    const queue = createPersistQueue(bullConnection(stack.config.redis.url), stack.config.queue.prefix);
    const occurredAt = Date.parse('2024-02-01T11:00:00Z');
    const parentFirst: PersistBatchJob = {
      ...batch(null, position('100'), 'SPLIT-1', 7),
      shardId: 'shardId-000000000010',
    };
    // The parent's last event sets the count to 50; the child's first adds 5 after it: 55, not 50.
    const parentLast: PersistBatchJob = {
      ...parentFirst,
      after: position('100'),
      last: position('200'),
      events: [
        {
          position: position('200'),
          event: {
            type: 'stock_adjusted',
            eventId: 'split-set',
            occurredAt,
            location: 'main',
            source: 'test',
            sku: 'SPLIT-1',
            quantity: 50,
            reason: 'count',
          },
        },
      ],
    };
    const childFirst: PersistBatchJob = {
      ...batch(null, position('300'), 'SPLIT-1', 5),
      shardId: 'shardId-000000000011',
      parents: [{ shardId: 'shardId-000000000010', last: position('200') }],
    };
    // Live, the parent is read to its end before the child.
    await applyLive(stack.infrastructure.redis, stack.config.redis.prefix, parentFirst, parentLast, childFirst);
    await enqueuePersistBatch(queue, parentFirst);
    await enqueuePersistBatch(queue, childFirst);
    await new Promise((resolve) => setTimeout(resolve, 600)); // the child is tried, and held, first
    const [held] = await stack.infrastructure.dataSource.query<{ count: string }[]>(
      "SELECT COUNT(*) AS count FROM shard_positions WHERE shard_id = 'shardId-000000000011' AND sequence_number IS NOT NULL",
    );
    expect(Number(held.count)).toBe(0);
    await enqueuePersistBatch(queue, parentLast);

    const onHand = await eventually(
      async () => {
        const [row] = await stack.infrastructure.dataSource.query<
          { sequence_number: string | null; on_hand: string }[]
        >(
          `SELECT sequence_number, (SELECT on_hand FROM stock_levels WHERE sku = 'SPLIT-1') AS on_hand
           FROM shard_positions WHERE shard_id = 'shardId-000000000011'`,
        );
        return row?.sequence_number === '300' ? Number(row.on_hand) : undefined;
      },
      10_000,
      'the child batch after its parent',
    );
    expect(onHand).toBe(55);
    await closeWithConnection(queue);
  });
});

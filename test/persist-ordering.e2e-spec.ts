import { PERSIST_BATCH_JOB, PersistBatchJob, persistBatchJobId, RedisKeys, StreamPosition } from '@stockwall/contracts';
import { closeWithConnection, enqueuePersistBatch, PersistQueue } from '../apps/worker/src/persist-queue';
import { applyLive, openPersistQueue, position, quantityChangeJob } from './support/persist-jobs';
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

async function allCompleted(queue: PersistQueue, jobs: PersistBatchJob[]): Promise<true | undefined> {
  const states = await Promise.all(jobs.map((data) => queue.getJobState(persistBatchJobId(data))));
  return states.every((state) => state === 'completed') ? true : undefined;
}

describe('persist-batch ordering', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ api: false });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('holds a batch that arrives before its predecessor briefly, without spending attempts, then applies both in order', async () => {
    const queue = openPersistQueue(stack.config);
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
    const queue = openPersistQueue(stack.config);
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
    const queue = openPersistQueue(stack.config);
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
  it("persists a shard's backlog in one pass when its jobs sit in the queue newest first, on 4 shards", async () => {
    const queue = openPersistQueue(stack.config);
    const shards = ['shardId-000000000020', 'shardId-000000000021', 'shardId-000000000022', 'shardId-000000000023'];
    const batchesPerShard = 20;
    const chains = shards.map((shardId, shard) =>
      Array.from({ length: batchesPerShard }, (_, index) => ({
        ...batch(
          index === 0 ? null : position(String(index * 100)),
          position(String((index + 1) * 100)),
          `CHAIN-${shard}`,
          index + 1,
        ),
        shardId,
      })),
    );
    // Live, each shard's batches apply in order, the shards interleaved.
    for (let index = 0; index < batchesPerShard; index++) {
      await applyLive(stack.infrastructure.redis, stack.config.redis.prefix, ...chains.map((chain) => chain[index]));
    }
    // After an outage the queue holds each shard's jobs in any order; here the newest come first.
    const newestFirst = [...chains.map((chain) => [...chain].reverse())].flatMap((chain) => chain);
    await queue.addBulk(
      newestFirst.map((data) => ({ name: PERSIST_BATCH_JOB, data, opts: { jobId: persistBatchJobId(data) } })),
    );

    await eventually(() => allCompleted(queue, newestFirst), 30_000, 'every job completed');
    const total = (batchesPerShard * (batchesPerShard + 1)) / 2;
    const rows = await stack.infrastructure.dataSource.query<{ sku: string; on_hand: string }[]>(
      "SELECT sku, on_hand FROM stock_levels WHERE sku LIKE 'CHAIN-%' ORDER BY sku",
    );
    expect(rows.map((row) => [row.sku, Number(row.on_hand)])).toEqual(
      shards.map((_, shard) => [`CHAIN-${shard}`, total]),
    );
    // The newest batch of each shard, picked first, persisted its 19 predecessors in order from
    // their own jobs; those jobs then found nothing left to do. Sent back to wait one by one, each
    // job would have persisted its own batch, one per shard per trip through the queue.
    const outcomes = new Map<string, unknown>();
    for (const job of await queue.getJobs(['completed'])) outcomes.set(job.id ?? '', job.returnvalue);
    for (const chain of chains) {
      expect(chain.map((data) => outcomes.get(persistBatchJobId(data)))).toEqual([
        ...Array.from({ length: batchesPerShard - 1 }, () => 'superseded'),
        'persisted',
      ]);
    }
    const [versions] = await stack.infrastructure.dataSource.query<{ events: string; ordered: string }[]>(
      "SELECT COUNT(*) AS events, COUNT(DISTINCT apply_version) AS ordered FROM inventory_events WHERE sku LIKE 'CHAIN-%'",
    );
    expect([Number(versions.events), Number(versions.ordered)]).toEqual([newestFirst.length, newestFirst.length]);
    // Nothing is left in the shards' apply chains once every batch is persisted.
    const keys = new RedisKeys(stack.config.redis.prefix);
    for (const shardId of shards) {
      expect(await stack.infrastructure.redis.hlen(keys.applyChain('ordering-stream', shardId))).toBe(0);
    }
    await closeWithConnection(queue);
  });

  it("persists a split's parent backlog from the child's first job when the parent's jobs come later", async () => {
    const queue = openPersistQueue(stack.config);
    const parentId = 'shardId-000000000030';
    const parent = Array.from({ length: 5 }, (_, index) => ({
      ...batch(index === 0 ? null : position(String(index * 10)), position(String((index + 1) * 10)), 'SPLIT-2', 2),
      shardId: parentId,
    }));
    const child: PersistBatchJob = {
      ...batch(null, position('900'), 'SPLIT-2', 1),
      shardId: 'shardId-000000000031',
      parents: [{ shardId: parentId, last: position('50') }],
    };
    await applyLive(stack.infrastructure.redis, stack.config.redis.prefix, ...parent, child);
    await queue.addBulk(
      [child, ...parent].map((data) => ({ name: PERSIST_BATCH_JOB, data, opts: { jobId: persistBatchJobId(data) } })),
    );
    await eventually(() => allCompleted(queue, [child, ...parent]), 20_000, 'every job completed');
    const outcomes = await Promise.all(
      [child, ...parent].map(async (data) => (await queue.getJob(persistBatchJobId(data)))?.returnvalue),
    );
    expect(outcomes).toEqual(['persisted', 'superseded', 'superseded', 'superseded', 'superseded', 'superseded']);
    const [row] = await stack.infrastructure.dataSource.query<{ on_hand: string }[]>(
      "SELECT on_hand FROM stock_levels WHERE sku = 'SPLIT-2'",
    );
    expect(Number(row.on_hand)).toBe(11);
    await closeWithConnection(queue);
  });
  it('writes a backlog queued oldest first in a few transactions: the first job takes the batches applied after it', async () => {
    const queue = openPersistQueue(stack.config);
    const shardId = 'shardId-000000000040';
    const backlog = Array.from({ length: 30 }, (_, index) => ({
      ...batch(index === 0 ? null : position(String(index * 10)), position(String((index + 1) * 10)), 'FOLLOW-1', 1),
      shardId,
    }));
    await applyLive(stack.infrastructure.redis, stack.config.redis.prefix, ...backlog);
    await queue.addBulk(
      backlog.map((data) => ({ name: PERSIST_BATCH_JOB, data, opts: { jobId: persistBatchJobId(data) } })),
    );
    await eventually(() => allCompleted(queue, backlog), 20_000, 'every job completed');
    const outcomes = await Promise.all(
      backlog.map(async (data) => (await queue.getJob(persistBatchJobId(data)))?.returnvalue),
    );
    expect(outcomes).toEqual(['persisted', ...backlog.slice(1).map(() => 'superseded')]);
    const [row] = await stack.infrastructure.dataSource.query<{ on_hand: string; events: string }[]>(
      `SELECT on_hand, (SELECT COUNT(*) FROM inventory_events WHERE sku = 'FOLLOW-1') AS events
       FROM stock_levels WHERE sku = 'FOLLOW-1'`,
    );
    expect([Number(row.on_hand), Number(row.events)]).toEqual([30, 30]);
    await closeWithConnection(queue);
  });
});

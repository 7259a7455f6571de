import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { PersistBatchJob, StreamPosition } from '@stockwall/contracts';
import { PERSIST_BATCH_JOB, persistBatchJobId } from '@stockwall/contracts';
import { closeWithConnection, enqueuePersistBatch, PersistQueue } from '../apps/worker/src/persist-queue';
import { applyLive, openPersistQueue, position, quantityChangeJob } from './support/persist-jobs';
import { eventually, TestStack } from './support/test-stack';

/**
 * A TCP relay to the shared MariaDB that the test can cut (refusing new connections and dropping
 * open ones) and restore on the same port: an outage as the worker sees it, without stopping the
 * server other tests use.
 */
class TcpGate {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const SHARD = 'shardId-000000000003';
const batch = (after: StreamPosition | null, last: StreamPosition, delta: number): PersistBatchJob =>
  quantityChangeJob({
    streamName: 'outage-stream',
    shardId: SHARD,
    after,
    last,
    sku: 'GATE-1',
    delta,
    occurredAt: '2024-04-01T08:00:00Z',
  });

describe('persist-batch jobs while MySQL cannot be reached', () => {
  const mysql = new URL(process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/stockwall');
  const gate = new TcpGate({ host: mysql.hostname, port: Number(mysql.port || 3306) });
  let stack: TestStack;
  let queue: PersistQueue;

  beforeAll(async () => {
    await gate.open();
    const throughGate = new URL(mysql);
    throughGate.host = `127.0.0.1:${gate.port}`;
    stack = await TestStack.start({ api: false, shards: 1, env: { DATABASE_URL: throughGate.toString() } });
    queue = openPersistQueue(stack.config);
  });

  afterAll(async () => {
    if (queue) await closeWithConnection(queue);
    await gate.open(); // the stack drops its database through the gate
    await stack?.stop();
    await gate.cut();
  }, 30_000);

  const persistedUpTo = async () =>
    (
      await stack.infrastructure.dataSource.query<{ sequence_number: string | null }[]>(
        'SELECT sequence_number FROM shard_positions WHERE shard_id = ?',
        [SHARD],
      )
    )[0]?.sequence_number ?? null;

  it('waits without spending attempts, however few a job has, and persists everything in order when MySQL is back', async () => {
    const first = batch(null, position('1000'), 10);
    const second = batch(position('1000'), position('2000'), -3);
    // Three attempts: counted against an outage they are gone in a couple of seconds.
    const third = batch(position('2000'), position('3000'), -2);
    // The live path runs on without MySQL: all three are applied there.
    await applyLive(stack.infrastructure.redis, stack.config.redis.prefix, first, second, third);
    await enqueuePersistBatch(queue, first);
    await eventually(async () => ((await persistedUpTo()) === '1000' ? true : undefined), 20_000, 'the first batch');

    await gate.cut();
    await enqueuePersistBatch(queue, second);
    await queue.add(PERSIST_BATCH_JOB, third, { jobId: persistBatchJobId(third), attempts: 3 });
    await new Promise((resolve) => setTimeout(resolve, 6_000));

    const during = await Promise.all(
      [second, third].map(async (data) => {
        const job = await queue.getJob(persistBatchJobId(data));
        return { state: await job!.getState(), attemptsMade: job!.attemptsMade };
      }),
    );
    expect(during).toEqual([
      { state: expect.stringMatching(/^(delayed|wait|active)$/), attemptsMade: 0 },
      { state: expect.stringMatching(/^(delayed|wait|active)$/), attemptsMade: 0 },
    ]);

    await gate.open();
    const backAt = Date.now();
    await eventually(async () => ((await persistedUpTo()) === '3000' ? true : undefined), 20_000, 'both held batches');
    // The wait grows with the outage (6 s here), so the jobs are back within about that.
    expect(Date.now() - backAt).toBeLessThan(10_000);
    const [stock] = await stack.infrastructure.dataSource.query<{ on_hand: string }[]>(
      "SELECT on_hand FROM stock_levels WHERE sku = 'GATE-1'",
    );
    expect(Number(stock.on_hand)).toBe(5);
    const expected = [first, second, third].map((data) => [persistBatchJobId(data), 1, null]).sort();
    const completed = await eventually(
      async () => {
        const jobs = await queue.getJobs(['completed']);
        return jobs.length === 3 ? jobs : undefined;
      },
      5_000,
      'three completed jobs',
    );
    // One attempt each: the outage cost none.
    expect(completed.map((job) => [job.id, job.attemptsMade, job.failedReason ?? null]).sort()).toEqual(expected);
  }, 60_000);
});

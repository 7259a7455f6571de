import { adjacentShardPair } from '@stockwall/ingest';
import { IngestCluster } from './support/ingest-cluster';
import { IngestTraffic, onHandInRedis } from './support/ingest-traffic';
import { eventually } from './support/test-stack';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Ingest at scale: 3 worker processes, 8 shards, crashes, resharding and faults', () => {
  let cluster: IngestCluster;

  beforeAll(async () => {
    cluster = await IngestCluster.start({ shards: 8, faultProxy: true });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('ends in exactly the expected state in Redis and MySQL, with every event once', async () => {
    const traffic = new IngestTraffic('SC', 48);
    await cluster.publisher.publish(traffic.opening());
    cluster.proxy!.setPlan({
      throttle: 0.05,
      limitExceeded: 0.02,
      expiredIterator: 0.03,
      serverError: 0.03,
      drop: 0.02,
      latencyMs: 5,
    });
    for (let index = 0; index < 3; index++) cluster.startWorker();
    await eventually(async () => ((await cluster.leaseOwners()).size === 8 ? true : undefined), 20_000, '8 leases');

    // A steady producer for the whole scenario, with producer retries mixed in.
    let producing = true;
    const producer = (async () => {
      while (producing) {
        await cluster.publisher.publish(traffic.next(40, 0.05));
        await sleep(100);
      }
    })();

    const [first, second, third] = [...cluster.workers.values()];
    await sleep(2_000);
    await first.kill('SIGKILL');
    const replacement = cluster.startWorker();

    await sleep(1_500);
    await cluster.split((await cluster.openShards())[0]);

    await sleep(1_500);
    await second.kill('SIGKILL');
    cluster.startWorker();

    await sleep(1_500);
    const [left, right] = adjacentShardPair(await cluster.openShards());
    await cluster.merge(left, right);

    await sleep(1_500);
    const terminated = await third.kill('SIGTERM');
    expect(terminated).toMatchObject({ code: 0 });
    expect(terminated.ms).toBeLessThan(2_000);
    cluster.startWorker();

    await sleep(1_500);
    await replacement.kill('SIGKILL');
    cluster.startWorker();

    await sleep(2_000);
    producing = false;
    await producer;

    const expected = traffic.expectedOnHand();
    const live = await onHandInRedis(cluster, traffic, 60_000);
    expect(live).toEqual(expected);

    const { dataSource } = cluster.infrastructure;
    const persisted = await eventually(
      async () => {
        const [row] = await dataSource.query<{ total: string; distinctIds: string }[]>(
          "SELECT COUNT(*) AS total, COUNT(DISTINCT event_id) AS distinctIds FROM inventory_events WHERE event_id LIKE 'SC-%'",
        );
        return Number(row.total) === traffic.uniqueIds.size ? row : undefined;
      },
      90_000,
      'every event in MySQL',
    ).catch(async (error: Error) => {
      const [row] = await dataSource.query<{ total: string }[]>(
        "SELECT COUNT(*) AS total FROM inventory_events WHERE event_id LIKE 'SC-%'",
      );
      throw new Error(`${error.message}; ${row.total} of ${traffic.uniqueIds.size} stored`);
    });
    expect(Number(persisted.distinctIds)).toBe(traffic.uniqueIds.size);
    const stock = await eventually(
      async () => {
        const rows = await dataSource.query<{ sku: string; on_hand: number }[]>(
          "SELECT sku, on_hand FROM stock_levels WHERE sku LIKE 'SC-%'",
        );
        const onHand = Object.fromEntries(traffic.skus.map((sku) => [sku, null as number | null]));
        for (const row of rows) onHand[row.sku] = Number(row.on_hand);
        return JSON.stringify(onHand) === JSON.stringify(expected) ? onHand : undefined;
      },
      30_000,
      'the expected stock in MySQL',
    ).catch(async (error: Error) => {
      const rows = await dataSource.query<{ sku: string; on_hand: number }[]>(
        "SELECT sku, on_hand FROM stock_levels WHERE sku LIKE 'SC-%'",
      );
      const off = rows
        .filter((row) => Number(row.on_hand) !== expected[row.sku])
        .map((row) => [row.sku, row.on_hand, expected[row.sku]]);
      throw new Error(`${error.message}; ${rows.length} rows; off: ${JSON.stringify(off)}`);
    });
    expect(stock).toEqual(expected);

    // Every closed shard (the split parent, both merge parents) was read to SHARD_END and recorded so.
    const closed = (await cluster.shards()).filter((shard) => shard.SequenceNumberRange?.EndingSequenceNumber);
    expect(closed).toHaveLength(3);
    for (const shard of closed) expect(await cluster.checkpoint(shard.ShardId!)).toMatchObject({ end: '1' });

    const injected = cluster.proxy!.injected;
    expect(injected.throttle + injected.limit_exceeded).toBeGreaterThan(0);
    expect(injected.expired_iterator).toBeGreaterThan(0);
    expect(injected.server_error).toBeGreaterThan(0);
    expect(injected.drop).toBeGreaterThan(0);
  }, 240_000);
});

import { aProductAdded } from './factories/wire-events';
import { IngestCluster } from './support/ingest-cluster';
import { eventually } from './support/test-stack';

const product = (sku: string) =>
  Buffer.from(
    JSON.stringify(aProductAdded({ id: `${sku}-add`, sku, name: sku, quantity: 3, at: '2024-05-01T10:00:00Z' })),
  );

/**
 * Workers list the stream's shards every 10 s. An overloaded Kinesis endpoint (in the full chaos
 * run, kinesalite on a busy machine answered after more than 10 s) must not cost leases: when the
 * lease round waited for ListShards, its renewals waited too, and every worker lost every lease
 * round after round while the others took them over.
 */
describe('Ingest with a slow ListShards', () => {
  let cluster: IngestCluster;

  beforeAll(async () => {
    cluster = await IngestCluster.start({ shards: 4, faultProxy: true });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('keeps every lease (TTL 3 s) while ListShards takes 6 s, and goes on applying', async () => {
    cluster.startWorker('slow-a');
    cluster.startWorker('slow-b');
    const shards = await cluster.shards();
    await eventually(
      async () => ((await cluster.leaseOwners()).size === shards.length ? true : undefined),
      20_000,
      'every shard leased',
    );
    // Let the lease plan settle to its fair share before the epochs are read.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const epochs = async () =>
      Promise.all(
        shards.map((shard) =>
          cluster.redis.get(`${cluster.prefix}lease-epoch:${cluster.config.kinesis.streamName}:${shard.ShardId}`),
        ),
      );
    const before = await epochs();
    const ownersBefore = await cluster.leaseOwners();

    cluster.proxy!.setPlan({ latencyMs: 6_000, operations: ['ListShards'] });
    // Two shard-list refreshes (every 10 s) happen in this time, each slower than the lease TTL.
    await new Promise((resolve) => setTimeout(resolve, 22_000));
    expect(cluster.proxy!.injected.latency).toBeGreaterThanOrEqual(2);

    // Records still apply at once on every shard, slow ListShards or not.
    const putAt = Date.now();
    for (const [index, shard] of shards.entries()) {
      await cluster.putAtHashKey(BigInt(shard.HashKeyRange!.StartingHashKey!), [product(`SLOW-${index}`)]);
    }
    const skus = shards.map((_, index) => `SLOW-${index}`);
    await eventually(
      async () => (Object.values(await cluster.onHand(skus)).every((onHand) => onHand === 3) ? true : undefined),
      10_000,
      'a record on every shard',
    );
    expect(Date.now() - putAt).toBeLessThan(3_000);
    cluster.proxy!.setPlan({});

    // No lease changed hands: the same owners at the same epochs.
    expect(await epochs()).toEqual(before);
    expect(await cluster.leaseOwners()).toEqual(ownersBefore);
    expect(cluster.runningWorkers()).toHaveLength(2);
  });
});

import { aProductAdded } from './factories/wire-events';
import { IngestCluster } from './support/ingest-cluster';
import { eventually } from './support/test-stack';

const product = (sku: string) =>
  Buffer.from(
    JSON.stringify(aProductAdded({ id: `${sku}-add`, sku, name: sku, quantity: 7, at: '2024-05-01T10:00:00Z' })),
  );

/** Counts shards per owner. */
async function spread(cluster: IngestCluster): Promise<number[]> {
  const counts = new Map<string, number>();
  for (const owner of (await cluster.leaseOwners()).values()) counts.set(owner, (counts.get(owner) ?? 0) + 1);
  return [...counts.values()].sort();
}

describe('Ingest failover: leases across worker processes', () => {
  let cluster: IngestCluster;

  beforeAll(async () => {
    cluster = await IngestCluster.start({ shards: 4 });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('shares shards fairly, resumes a SIGKILLed worker within 5 s, and rebalances when a worker joins', async () => {
    const first = cluster.startWorker('first');
    const second = cluster.startWorker('second');
    await eventually(async () => ((await spread(cluster)).join() === '2,2' ? true : undefined), 20_000, 'a 2/2 spread');

    const owners = await cluster.leaseOwners();
    const shards = await cluster.shards();
    const victimShard = shards.find((shard) => owners.get(shard.ShardId!) === 'first')!;
    const epochKey = `${cluster.prefix}lease-epoch:${cluster.config.kinesis.streamName}:${victimShard.ShardId}`;
    const epochBefore = Number(await cluster.redis.get(epochKey));

    const killedAt = Date.now();
    await first.kill('SIGKILL');
    await cluster.putAtHashKey(BigInt(victimShard.HashKeyRange!.StartingHashKey!), [product('FAILOVER-KILL')]);
    await eventually(
      async () => ((await cluster.onHand(['FAILOVER-KILL']))['FAILOVER-KILL'] === 7 ? true : undefined),
      10_000,
      'the record on the killed worker’s shard',
    );
    const failoverMs = Date.now() - killedAt;
    expect(failoverMs).toBeLessThanOrEqual(5_000);
    expect((await cluster.leaseOwners()).get(victimShard.ShardId!)).toBe('second');
    expect(Number(await cluster.redis.get(epochKey))).toBeGreaterThan(epochBefore);

    // A new worker claims its share from the one holding all four.
    cluster.startWorker('third');
    await eventually(async () => ((await spread(cluster)).join() === '2,2' ? true : undefined), 15_000, 'rebalanced');
    expect(second.running).toBe(true);
  });

  it('on SIGTERM finishes its batch, releases its leases and exits within 2 s; the others take the shards at once', async () => {
    const owners = await cluster.leaseOwners();
    const leaving = cluster.workers.get('second')!;
    const shards = (await cluster.shards()).filter((shard) => owners.get(shard.ShardId!) === 'second');
    expect(shards.length).toBeGreaterThan(0);

    const exit = await leaving.kill('SIGTERM');
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(2_000);

    const exitedAt = Date.now();
    await cluster.putAtHashKey(BigInt(shards[0].HashKeyRange!.StartingHashKey!), [product('FAILOVER-TERM')]);
    await eventually(
      async () => ((await cluster.onHand(['FAILOVER-TERM']))['FAILOVER-TERM'] === 7 ? true : undefined),
      5_000,
      'the record on the stopped worker’s shard',
    );
    // No lease expiry to wait for: the released shards were taken on the release notice.
    expect(Date.now() - exitedAt).toBeLessThan(1_500);
    expect([...(await cluster.leaseOwners()).values()].every((owner) => owner === 'third')).toBe(true);
    expect(leaving.output.join('\n')).not.toMatch(/ERROR/);
  });
});

import { UpdateShardCountCommand } from '@aws-sdk/client-kinesis';
import { IngestCluster } from './support/ingest-cluster';
import { IngestTraffic, onHandInRedis } from './support/ingest-traffic';
import { eventually } from './support/test-stack';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The conformance subset on a second emulator (kinesis-mock), which also reshards by UpdateShardCount.
describe('Ingest conformance on kinesis-local: crash, UpdateShardCount, exact state', () => {
  let cluster: IngestCluster;

  beforeAll(async () => {
    cluster = await IngestCluster.start({ shards: 4, emulator: 'kinesis-local' });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('keeps every event exactly once through a kill -9 and a doubling of the shard count', async () => {
    const traffic = new IngestTraffic('KL', 24, 7);
    await cluster.publisher.publish(traffic.opening());
    const first = cluster.startWorker();
    cluster.startWorker();
    await eventually(async () => ((await cluster.leaseOwners()).size === 4 ? true : undefined), 20_000, '4 leases');

    let producing = true;
    const producer = (async () => {
      while (producing) {
        await cluster.publisher.publish(traffic.next(25, 0.05));
        await sleep(100);
      }
    })();
    await sleep(1_500);
    await first.kill('SIGKILL');
    cluster.startWorker();
    await sleep(1_000);
    await cluster.admin.send(
      new UpdateShardCountCommand({
        StreamName: cluster.config.kinesis.streamName,
        TargetShardCount: 8,
        ScalingType: 'UNIFORM_SCALING',
      }),
    );
    await sleep(3_000);
    producing = false;
    await producer;

    const expected = traffic.expectedOnHand();
    const live = await onHandInRedis(cluster, traffic, 45_000);
    expect(live).toEqual(expected);

    const closed = (await cluster.shards()).filter((shard) => shard.SequenceNumberRange?.EndingSequenceNumber);
    expect(closed.length).toBeGreaterThan(0);
    for (const shard of closed) expect(await cluster.checkpoint(shard.ShardId!)).toMatchObject({ end: '1' });

    const persisted = await eventually(
      async () => {
        const [row] = await cluster.infrastructure.dataSource.query<{ total: string; distinctIds: string }[]>(
          "SELECT COUNT(*) AS total, COUNT(DISTINCT event_id) AS distinctIds FROM inventory_events WHERE event_id LIKE 'KL-%'",
        );
        return Number(row.distinctIds) === traffic.uniqueIds.size ? row : undefined;
      },
      60_000,
      'every event in MySQL',
    );
    expect(Number(persisted.total)).toBe(traffic.uniqueIds.size);
  }, 180_000);
});

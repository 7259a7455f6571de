import { ListShardsCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { aProductAdded } from './factories/wire-events';
import { aggregateOneWithLibrary } from './support/kpl-records';
import { eventually, TestStack } from './support/test-stack';

const added = (sku: string, quantity: number) =>
  aProductAdded({ id: `${sku}-add`, sku, name: sku, quantity, at: '2024-05-01T10:00:00Z' });

describe('persist-batch jobs for batches that hold nothing to store', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 2, api: false });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('moves the MySQL position past an aggregate whose user records are all dead-lettered, so the next batch persists', async () => {
    const { kinesis, redis, dataSource } = stack.infrastructure;
    const streamName = stack.config.kinesis.streamName;
    const shards = (await kinesis.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? [];
    const target = shards[0];
    const broken = Array.from({ length: 5 }, (_, index) => `BROKEN-${index}`);
    const put = async (data: Uint8Array, partitionKey: string) => {
      // ExplicitHashKey 0: into the first shard whatever the records inside say.
      const response = await kinesis.send(
        new PutRecordsCommand({
          StreamName: streamName,
          Records: [{ Data: data, PartitionKey: partitionKey, ExplicitHashKey: '0' }],
        }),
      );
      return response.Records![0].SequenceNumber!;
    };
    const checkpointKey = `${stack.config.redis.prefix}checkpoint:${streamName}:${target.ShardId}`;

    // Records that are not JSON: the batch moves the shard and stores no event.
    const aggregate = await aggregateOneWithLibrary(
      broken.map((sku) => ({ partitionKey: sku, data: Buffer.from(`{"event_type": "product_added", ${sku}`) })),
    );
    const aggregateAt = await put(aggregate, 'aggregate');
    // Its own batch: the live checkpoint passes it before the next record is written.
    await eventually(
      async () => ((await redis.hget(checkpointKey, 'seq')) === aggregateAt ? true : undefined),
      15_000,
      'the live checkpoint past the aggregate',
    );
    const nextAt = await put(Buffer.from(JSON.stringify(added('HERE-1', 7))), 'HERE-1');

    const stored = await eventually(
      async () => {
        const [row] = await dataSource.query<{ sequence_number: string | null; on_hand: string | null }[]>(
          `SELECT (SELECT sequence_number FROM shard_positions WHERE shard_id = ?) AS sequence_number,
             (SELECT on_hand FROM stock_levels WHERE sku = 'HERE-1') AS on_hand`,
          [target.ShardId],
        );
        return row.sequence_number === nextAt ? row : undefined;
      },
      20_000,
      'the next batch in MySQL',
    );
    expect(Number(stored.on_hand)).toBe(7);
    const [{ count }] = await dataSource.query<{ count: string }[]>(
      'SELECT COUNT(*) AS count FROM inventory_events WHERE shard_id = ?',
      [target.ShardId],
    );
    expect(Number(count)).toBe(1);
    const [{ letters }] = await dataSource.query<{ letters: string }[]>(
      "SELECT COUNT(*) AS letters FROM dead_letters WHERE shard_id = ? AND reason = 'not_json'",
      [target.ShardId],
    );
    expect(Number(letters)).toBe(5);
  });
});

import { ListShardsCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { aProductAdded, aQuantityChange } from './factories/wire-events';
import { aggregateOneWithLibrary } from './support/kpl-records';
import { hashKeyOf, IngestMetrics } from '@stockwall/ingest';
import { eventually, TestStack } from './support/test-stack';

const TIMESTAMP = '2024-05-01T10:00:00Z';
const added = (sku: string, quantity: number, id = `${sku}-add`) =>
  aProductAdded({ id, sku, name: sku, quantity, at: TIMESTAMP });
const changed = (sku: string, delta: number, id: string) => aQuantityChange({ id, sku, delta, at: TIMESTAMP });

describe('Ingest records: producer retries, KPL aggregates, dead letters and metrics', () => {
  let stack: TestStack;
  let metrics: IngestMetrics;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 2, workers: 0 });
    metrics = (await stack.startWorker()).get(IngestMetrics);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const onHand = async (sku: string) => {
    const value = await stack.infrastructure.redis.hget(`${stack.config.redis.prefix}stock:main:${sku}`, 'on');
    return value === null ? null : Number(value);
  };

  it('drops producer-retry duplicates, across batches and inside one, in Redis and in MySQL', async () => {
    await stack.publish(added('DUP-1', 10), changed('DUP-1', 5, 'DUP-1-a'));
    await eventually(async () => ((await onHand('DUP-1')) === 15 ? true : undefined), 15_000, 'the first batch');

    // The retry of DUP-1-a arrives later under a new sequence number; DUP-1-b is sent twice in one call.
    await stack.publish(changed('DUP-1', 5, 'DUP-1-a'), changed('DUP-1', 1, 'DUP-1-b'), changed('DUP-1', 1, 'DUP-1-b'));
    await stack.publish(changed('DUP-1', 100, 'DUP-1-c'));
    await eventually(async () => ((await onHand('DUP-1')) === 116 ? true : undefined), 15_000, 'the last event');
    expect(await onHand('DUP-1')).toBe(116);

    const { dataSource } = stack.infrastructure;
    const stored = await eventually(
      async () => {
        const [row] = await dataSource.query<{ onHand: number | null; events: string }[]>(
          "SELECT (SELECT on_hand FROM stock_levels WHERE sku = 'DUP-1') AS onHand, " +
            "(SELECT COUNT(*) FROM inventory_events WHERE sku = 'DUP-1') AS events",
        );
        return row.onHand !== null && Number(row.onHand) === 116 ? row : undefined;
      },
      15_000,
      'DUP-1 in MySQL',
    );
    expect(Number(stored.events)).toBe(4);
    expect((await metrics.duplicatesDropped.get()).values[0].value).toBeGreaterThanOrEqual(2);
  });

  it('unpacks KPL aggregates from aws-kinesis-agg and applies every user record, in the shard’s hash key range or not', async () => {
    const { kinesis, redis } = stack.infrastructure;
    const streamName = stack.config.kinesis.streamName;
    const shards = (await kinesis.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? [];
    const target = shards[0];
    const end = BigInt(target.HashKeyRange!.EndingHashKey!);
    const skus = Array.from({ length: 12 }, (_, index) => `KPL-${index}`);
    const inRange = skus.filter((sku) => hashKeyOf(sku, null) <= end);
    expect(inRange.length).toBeGreaterThan(0);
    expect(inRange.length).toBeLessThan(skus.length);

    const aggregated = await aggregateOneWithLibrary(
      skus.map((sku, index) => ({ partitionKey: sku, data: Buffer.from(JSON.stringify(added(sku, index + 1))) })),
    );
    // Sent to the first shard whatever the user records' keys say, as a KPL does before a split is noticed.
    await kinesis.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: [{ Data: aggregated, PartitionKey: 'aggregate', ExplicitHashKey: '0' }],
      }),
    );
    await eventually(
      async () => ((await onHand(skus[skus.length - 1])) !== null ? true : undefined),
      15_000,
      'the aggregate applied',
    );
    // A record stays on the shard it was written to: no other shard would ever read the others.
    for (const sku of skus) expect(await onHand(sku)).toBe(skus.indexOf(sku) + 1);
    const checkpoint = await redis.hgetall(`${stack.config.redis.prefix}checkpoint:${streamName}:${target.ShardId}`);
    expect(checkpoint.sub).toBe(String(skus.length - 1));
  });

  it('dead-letters a corrupt aggregate and lists rejected records to admins only', async () => {
    const aggregated = Buffer.from(
      await aggregateOneWithLibrary([{ partitionKey: 'X', data: Buffer.from(JSON.stringify(added('BAD-1', 1))) }]),
    );
    aggregated[aggregated.length - 1] ^= 0xff;
    await stack.publisher.publishRaw([
      { data: aggregated, partitionKey: 'X' },
      { data: Buffer.from('{oops'), partitionKey: 'X' },
    ]);

    const page = await eventually(
      async () => {
        const response = await stack.get('/api/v1/dead-letters?limit=10', 'admin');
        return response.body.items?.length === 2 ? response.body : undefined;
      },
      20_000,
      'two dead letters in MySQL',
    );
    expect(page.items.map((item: { reason: string }) => item.reason).sort()).toEqual(['kpl_bad_checksum', 'not_json']);
    const notJson = page.items.find((item: { reason: string }) => item.reason === 'not_json');
    expect(Buffer.from(notJson.rawBase64, 'base64').toString()).toBe('{oops');
    expect(notJson).toMatchObject({ rawBytes: 5, shardId: expect.stringMatching(/^shardId-/) });

    const filtered = await stack.get('/api/v1/dead-letters?reason=kpl_bad_checksum&limit=1', 'admin');
    expect(filtered.body).toMatchObject({ items: [{ reason: 'kpl_bad_checksum' }], nextCursor: null });
    const live = await stack.get('/api/v1/dead-letters?source=live', 'admin');
    expect(live.body.items.map((item: { reason: string }) => item.reason).sort()).toEqual([
      'kpl_bad_checksum',
      'not_json',
    ]);
    expect((await stack.get('/api/v1/dead-letters', 'viewer')).status).toBe(403);
    expect((await stack.get('/api/v1/dead-letters?reason=nonsense', 'admin')).status).toBe(400);
  });

  it('exposes Prometheus metrics on the API and the worker', async () => {
    const response = await fetch(`${stack.apiUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^stockwall_api_process_cpu_seconds_total/m);

    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^stockwall_ingest_records_total\{shard="shardId-\d+"\} [1-9]/m);
    expect(text).toMatch(/^stockwall_ingest_bytes_total\{shard="shardId-\d+"\} [1-9]/m);
    expect(text).toMatch(/^stockwall_ingest_millis_behind_latest\{shard="shardId-\d+"\} \d+/m);
    expect(text).toMatch(/^stockwall_ingest_leases_held 2$/m);
    expect(text).toMatch(/^stockwall_ingest_dead_letters_total\{reason="kpl_bad_checksum"\} 1$/m);
    expect(text).toMatch(/^stockwall_ingest_apply_duration_seconds_count\{outcome="applied"\} [1-9]/m);
  });
});

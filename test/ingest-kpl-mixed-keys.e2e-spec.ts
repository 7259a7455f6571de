import { createServer } from 'node:net';
import { PutRecordsCommand, Shard } from '@aws-sdk/client-kinesis';
import type { WireEvent } from '@stockwall/contracts';
import { hashKeyOf } from '@stockwall/ingest';
import { aProductAdded, aQuantityChange } from './factories/wire-events';
import { IngestCluster } from './support/ingest-cluster';
import { aggregateOneWithLibrary } from './support/kpl-records';
import { seededRandom } from './support/seeded-random';
import { eventually } from './support/test-stack';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const TIMESTAMP = '2024-05-01T10:00:00Z';
const SKU_COUNT = 64;
const OPENING = 1_000;

interface Aggregate {
  data: Buffer;
  /** Its user records' SKUs (their partition keys), in order. */
  skus: string[];
}

/** A free local port for a worker's /metrics. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The sum over all series of one counter in a Prometheus text page. */
function counterSum(page: string, name: string): number {
  return page
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

const range = (shard: Shard) => ({
  start: BigInt(shard.HashKeyRange!.StartingHashKey!),
  end: BigInt(shard.HashKeyRange!.EndingHashKey!),
});

/**
 * aws-kinesis-agg aggregates of quantity changes for SKUs of every shard, each put on one shard
 * (one explicit hash key for the whole aggregate), with a split in the middle of the run and a
 * producer re-sending one whole aggregate. Quantity changes add up in any order, so the expected
 * on-hand is exact whichever shard applies which user record, and when.
 */
describe('Ingest: KPL aggregates with mixed partition keys on 8 shards, 2 workers and a split', () => {
  let cluster: IngestCluster;
  const skus = Array.from({ length: SKU_COUNT }, (_, index) => `KM-${index}`);
  const expected = new Map(skus.map((sku) => [sku, OPENING]));
  const eventIds = new Set<string>();
  const random = seededRandom(20_261_204);
  let counter = 0;

  beforeAll(async () => {
    cluster = await IngestCluster.start({ shards: 8 });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  async function nextAggregate(size: number): Promise<Aggregate> {
    const events: WireEvent[] = [];
    const aggregateSkus: string[] = [];
    for (let index = 0; index < size; index++) {
      const sku = skus[Math.floor(random() * skus.length)];
      const delta = Math.floor(random() * 21) - 10;
      const eventId = `KM-e${counter++}`;
      expected.set(sku, expected.get(sku)! + delta);
      eventIds.add(eventId);
      aggregateSkus.push(sku);
      events.push(aQuantityChange({ id: eventId, sku, delta, at: TIMESTAMP }));
    }
    const data = await aggregateOneWithLibrary(
      events.map((event, index) => ({ partitionKey: aggregateSkus[index], data: Buffer.from(JSON.stringify(event)) })),
    );
    return { data, skus: aggregateSkus };
  }

  /**
   * Puts an aggregate on one shard; returns where it landed and how many of its user records
   * belong to other shards.
   */
  async function putOn(shard: Shard, aggregate: Aggregate) {
    const response = await cluster.admin.send(
      new PutRecordsCommand({
        StreamName: cluster.config.kinesis.streamName,
        Records: [{ Data: aggregate.data, PartitionKey: 'aggregate', ExplicitHashKey: range(shard).start.toString() }],
      }),
    );
    const { start, end } = range(shard);
    const outside = aggregate.skus.filter((sku) => {
      const hashKey = hashKeyOf(sku, null);
      return hashKey < start || hashKey > end;
    }).length;
    const [written] = response.Records ?? [];
    return { outside, shardId: written.ShardId!, sequenceNumber: BigInt(written.SequenceNumber!) };
  }

  it('applies every user record exactly once in Redis and MySQL, whichever shard carried it', async () => {
    const ports = [await freePort(), await freePort()];
    for (const port of ports) cluster.startWorker(undefined, { METRICS_PORT: String(port) });
    await eventually(async () => ((await cluster.leaseOwners()).size === 8 ? true : undefined), 30_000, '8 leases');

    // Each SKU defined first (plain records on its own shard), and applied, before any change to it.
    await cluster.publisher.publish(
      skus.map((sku) => aProductAdded({ id: `${sku}-open`, sku, name: sku, quantity: OPENING, at: TIMESTAMP })),
    );
    await eventually(
      async () => (Object.values(await cluster.onHand(skus)).every((value) => value === OPENING) ? true : undefined),
      30_000,
      'every SKU defined',
    );

    const shards = await cluster.openShards();
    let userRecords = 0;
    let outsideRange = 0;
    const put = async (shard: Shard, aggregate: Aggregate) => {
      const written = await putOn(shard, aggregate);
      outsideRange += written.outside;
      userRecords += aggregate.skus.length;
      return written;
    };

    // Every shard gets aggregates whose user records belong to all of them.
    const resent = await nextAggregate(30);
    for (let round = 0; round < 3; round++) {
      for (const shard of shards)
        await put(shard, round === 0 && shard === shards[0] ? resent : await nextAggregate(30));
      await sleep(200);
    }

    // The split closes shards[2]: its records, out-of-range ones included, are read from it only.
    await cluster.split(shards[2]);
    await eventually(
      async () => ((await cluster.openShards()).length === 9 ? true : undefined),
      15_000,
      'the split children',
    );
    for (let round = 0; round < 3; round++) {
      for (const shard of await cluster.openShards()) await put(shard, await nextAggregate(30));
      await sleep(200);
    }
    // A producer retrying a whole aggregate: the same user records, event ids included, under a new sequence number.
    const resend = await put(shards[0], resent);
    const uniqueUserRecords = userRecords - resent.skus.length;
    expect(eventIds.size).toBe(uniqueUserRecords);
    // The re-send changes nothing when it is dropped, so wait until its shard has applied it.
    await eventually(
      async () => {
        const checkpoint = await cluster.checkpoint(resend.shardId);
        return checkpoint.seq !== undefined && BigInt(checkpoint.seq) >= resend.sequenceNumber ? true : undefined;
      },
      60_000,
      'the re-sent aggregate applied',
    );

    const want = Object.fromEntries(expected);
    const live = await eventually(
      async () => {
        const onHand = await cluster.onHand(skus);
        return JSON.stringify(onHand) === JSON.stringify(want) ? onHand : undefined;
      },
      60_000,
      'the exact expected on-hand in Redis',
    ).catch(async (error: Error) => {
      const onHand = await cluster.onHand(skus);
      const off = skus.filter((sku) => onHand[sku] !== want[sku]).map((sku) => [sku, onHand[sku], want[sku]]);
      throw new Error(`${error.message}; ${off.length} SKUs off: ${JSON.stringify(off.slice(0, 10))}`);
    });
    expect(live).toEqual(want);

    const { dataSource } = cluster.infrastructure;
    const stored = await eventually(
      async () => {
        const [row] = await dataSource.query<{ total: string; distinctIds: string }[]>(
          "SELECT COUNT(*) AS total, COUNT(DISTINCT event_id) AS distinctIds FROM inventory_events WHERE event_id LIKE 'KM-e%'",
        );
        return Number(row.total) >= eventIds.size ? row : undefined;
      },
      90_000,
      'every event in MySQL',
    );
    expect(Number(stored.total)).toBe(eventIds.size);
    expect(Number(stored.distinctIds)).toBe(eventIds.size);
    const stock = await eventually(
      async () => {
        const rows = await dataSource.query<{ sku: string; on_hand: number }[]>(
          "SELECT sku, on_hand FROM stock_levels WHERE sku LIKE 'KM-%'",
        );
        const onHand = Object.fromEntries(skus.map((sku) => [sku, null as number | null]));
        for (const row of rows) onHand[row.sku] = Number(row.on_hand);
        return JSON.stringify(onHand) === JSON.stringify(want) ? onHand : undefined;
      },
      60_000,
      'the expected stock in MySQL',
    );
    expect(stock).toEqual(want);

    // The split parent was read to its end: nothing it carried is left for a child to read.
    expect(await cluster.checkpoint(shards[2].ShardId!)).toMatchObject({ end: '1' });

    // Both workers' counters: every user record unpacked (a re-read after a hand-over may count some
    // twice), and at least the ones put on a shard their key does not route to.
    const pages = await Promise.all(
      ports.map(async (port) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text()),
    );
    const unpacked = pages.reduce((sum, page) => sum + counterSum(page, 'stockwall_kpl_user_records_total'), 0);
    const counted = pages.reduce((sum, page) => sum + counterSum(page, 'stockwall_kpl_records_out_of_range_total'), 0);
    expect(outsideRange).toBeGreaterThan(userRecords / 2);
    expect(unpacked).toBeGreaterThanOrEqual(userRecords);
    expect(counted).toBeGreaterThanOrEqual(outsideRange);
    expect(pages.join('\n')).toMatch(/^stockwall_kpl_records_out_of_range_total\{stream="events-[0-9a-f]+"\} [1-9]/m);
  }, 240_000);
});

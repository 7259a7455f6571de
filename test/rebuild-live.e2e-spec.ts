import { KpiRepository, windowRebuildFrom } from '@stockwall/aggregation';
import type { WireEvent } from '@stockwall/contracts';
import { reconcile } from '../apps/cli/src/commands/reconcile.command';
import { runReplay } from '../apps/cli/src/replay/replay-runner';
import { IngestCluster } from './support/ingest-cluster';
import {
  canonicalStock,
  days,
  deleteEverything,
  drained,
  expectClean,
  expectLedger,
  explained,
  liveStock,
  replay,
  runCli,
  SentLedger,
} from './support/replay-ledger';
import { eventually } from './support/test-stack';

/** Every stock hash's forecast and alert fields (what a rebuild must carry over). */
async function stockHashes(cluster: IngestCluster): Promise<Map<string, Record<string, string>>> {
  const keys = await cluster.redis.keys(`${cluster.prefix}stock:*`);
  const hashes = new Map<string, Record<string, string>>();
  for (const key of keys) hashes.set(key, await cluster.redis.hgetall(key));
  return hashes;
}

/**
 * Every window bucket that can still count (start within the retention before the watermark) with
 * its sales sums, on-time and late added together (which events came late is not kept in MySQL).
 */
async function bucketSums(cluster: IngestCluster): Promise<Record<string, number[]>> {
  const watermark = Number(await cluster.redis.get(`${cluster.prefix}watermark`));
  const from = windowRebuildFrom(watermark, cluster.config.aggregation.allowedLatenessMs);
  const sums: Record<string, number[]> = {};
  for (const key of await cluster.redis.keys(`${cluster.prefix}kpi:*`)) {
    if (key.endsWith(':u') || key.endsWith(':r') || Number(key.split(':').pop()) < from) continue;
    const fields = await cluster.redis.hgetall(key);
    const value = (name: string) => Number(fields[name] ?? 0) + Number(fields[`l${name}`] ?? 0);
    const figures = ['o', 'r', 'u', 'c', 'n'].map(value);
    if (figures.some((figure) => figure !== 0)) sums[key] = figures;
  }
  return sums;
}

describe('rebuild-live: Redis rebuilt from MySQL after it lost everything', () => {
  jest.setTimeout(900_000);
  let cluster: IngestCluster;
  const ledger = new SentLedger();

  beforeAll(async () => {
    cluster = await IngestCluster.start({ shards: 4 });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('rebuilds stock, windows and checkpoints; workers resume from MySQL positions and stay exact', async () => {
    cluster.startWorker();
    cluster.startWorker();
    await replay(cluster, ledger, days('2011-11-01', '2011-11-02', '2011-11-03'));
    await drained(cluster, ledger);
    expectClean(await reconcile(cluster.config, 300));
    await expectLedger(cluster, ledger);

    // While workers hold the stream, the rebuild refuses with one line and exit 1.
    const refused = await runCli(cluster, 'rebuild-live');
    expect(refused.code).toBe(1);
    expect(refused.output.trim().split('\n')).toHaveLength(1);
    expect(refused.output).toMatch(/^rebuild-live: refused, stream .* held by 2 running worker/);

    const kpis = new KpiRepository(cluster.redis, cluster.prefix);
    const stockBefore = (await kpis.readLive('24h', null)).stock;
    const hashesBefore = await stockHashes(cluster);
    const bucketsBefore = await bucketSums(cluster);
    const shards = (await cluster.shards()).map((shard) => shard.ShardId!);
    const checkpointsBefore = await Promise.all(shards.map((shard) => cluster.checkpoint(shard)));
    for (const worker of cluster.runningWorkers()) expect((await worker.kill('SIGTERM')).code).toBe(0);

    // Redis loses everything: the live state, the checkpoints, the leases and the queues.
    expect(await deleteEverything(cluster.redis, cluster.prefix, `${cluster.config.queue.prefix}:`)).toBeGreaterThan(
      1_000,
    );
    const lost = await reconcile(cluster.config);
    expect(lost.notes).toHaveLength(2);
    expect(lost.drift.length).toBeGreaterThan(100);

    const rebuilt = await runCli(cluster, 'rebuild-live');
    expect(rebuilt.output).toMatch(
      /^rebuild-live: \d+ SKU\/location rows, \d+ window buckets, 4 shard checkpoints, version \d+, watermark 2011-11-03T\S+, [\d.]+ s/,
    );
    expect(rebuilt.code).toBe(0);
    const rebuiltVersion = Number(/version (\d+)/.exec(rebuilt.output)![1]);
    // Above every version MySQL recorded, so MySQL keeps following the apply order after the rebuild.
    const [{ recorded }] = await cluster.infrastructure.dataSource.query(
      'SELECT GREATEST(COALESCE(MAX(apply_version), 0), (SELECT COALESCE(MAX(live_version), 0) FROM stock_levels)) AS recorded FROM inventory_events',
    );
    expect(Number(recorded)).toBeGreaterThan(0);
    expect(rebuiltVersion).toBe(Number(recorded) + 1);
    expect(Number(await cluster.redis.get(`${cluster.prefix}version`))).toBe(rebuiltVersion);
    expectClean(await reconcile(cluster.config));
    await expectLedger(cluster, ledger);
    expect((await kpis.readLive('24h', null)).stock).toEqual(stockBefore);
    // Every minute and quarter bucket, per source and overall, not only the compared windows.
    const bucketsAfter = await bucketSums(cluster);
    expect(Object.keys(bucketsAfter).length).toBeGreaterThan(100);
    expect(bucketsAfter).toEqual(bucketsBefore);
    // Checkpoints at MySQL's positions, which after a clean reconcile are the ones Redis had.
    expect(
      (await Promise.all(shards.map((shard) => cluster.checkpoint(shard)))).map(({ seq, sub }) => ({ seq, sub })),
    ).toEqual(checkpointsBefore.map(({ seq, sub }) => ({ seq, sub })));
    // Alert state carried over (so nothing is raised twice) and the sell rate recomputed from the lines.
    const hashesAfter = await stockHashes(cluster);
    expect([...hashesAfter.keys()].sort()).toEqual([...hashesBefore.keys()].sort());
    let selling = 0;
    for (const [key, before] of hashesBefore) {
      const after = hashesAfter.get(key)!;
      expect({ key, la: after.la, out: after.os !== '' }).toEqual({ key, la: before.la, out: before.os !== '' });
      expect({ key, sold: after.sr !== undefined }).toEqual({ key, sold: before.sr !== undefined });
      if (before.sr === undefined) continue;
      selling++;
      expect(Math.abs(Number(after.sr) - Number(before.sr))).toBeLessThanOrEqual(1e-9 * Number(before.sr));
      expect(after.st).toBe(before.st);
    }
    expect(selling).toBeGreaterThan(100);

    cluster.startWorker();
    cluster.startWorker();
    await replay(cluster, ledger, days('2011-11-04', '2011-11-06'));
    await drained(cluster, ledger);
    expectClean(await reconcile(cluster.config, 300));
    await expectLedger(cluster, ledger);
    expect(Number(await cluster.redis.get(`${cluster.prefix}version`))).toBeGreaterThan(rebuiltVersion);
  });

  // Continues from the state the test above leaves (its workers running, everything reconciled).
  it('re-reads from MySQL positions what Redis had applied but MySQL had not persisted when Redis was lost', async () => {
    for (const worker of cluster.runningWorkers()) expect((await worker.kill('SIGTERM')).code).toBe(0);
    const persistedBefore = ledger.events;
    // Workers that only read the stream: persist jobs pile up in the queue and never reach MySQL.
    cluster.startWorker(undefined, { WORKER_ROLES: 'ingest' });
    cluster.startWorker(undefined, { WORKER_ROLES: 'ingest' });
    const summary = await runReplay({
      files: days('2011-11-07'),
      format: 'online-retail',
      publish: knownOnly(cluster, ledger),
      knownProducts: [...ledger.defined],
      options: { openingStock: 100, reorderPoint: 10, costPercent: 60 },
    });
    expect(ledger.events - persistedBefore).toBeGreaterThan(100);
    expect(summary.eventsSent).toBeGreaterThan(0);
    const expected = canonicalStock([...ledger.stock]);
    await explained(
      cluster,
      eventually(
        async () => ((await liveStock(cluster)) === expected ? true : undefined),
        120_000,
        'the new events in Redis',
      ),
    );
    const [{ count }] = await cluster.infrastructure.dataSource.query('SELECT COUNT(*) AS count FROM inventory_events');
    expect(Number(count)).toBe(persistedBefore);
    for (const worker of cluster.runningWorkers()) await worker.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, cluster.config.worker.leaseTtlMs + 500));

    // Redis is lost with the queued persist jobs; the rebuild takes MySQL's older state and positions.
    await deleteEverything(cluster.redis, cluster.prefix, `${cluster.config.queue.prefix}:`);
    const rebuilt = await runCli(cluster, 'rebuild-live');
    expect(rebuilt.code).toBe(0);
    expectClean(await reconcile(cluster.config));
    expect(await liveStock(cluster)).not.toBe(expected);

    cluster.startWorker();
    cluster.startWorker();
    await drained(cluster, ledger);
    expectClean(await reconcile(cluster.config, 300));
    await expectLedger(cluster, ledger);
  });
});

/** Publishes only events about SKUs the ledger already holds (deltas only: no order of shards matters). */
function knownOnly(cluster: IngestCluster, ledger: SentLedger) {
  return async (events: WireEvent[]): Promise<void> => {
    const known = events.filter((event) => {
      const wire = event as any;
      if (wire.event_type === 'product_added') return false;
      const skus: string[] = wire.lines
        ? wire.lines.map((line: { sku: string }) => line.sku)
        : [wire.product.product_id];
      return skus.every((sku) => ledger.stock.has(sku));
    });
    if (known.length === 0) return;
    await cluster.publisher.publish(known);
    ledger.record(known);
  };
}

import { reconcile } from '../apps/cli/src/commands/reconcile.command';
import { AofRedis } from './support/aof-redis';
import { IngestCluster } from './support/ingest-cluster';
import { days, drained, expectClean, expectLedger, explained, replay, SentLedger } from './support/replay-ledger';
import { eventually } from './support/test-stack';

/** The live state through a Redis restart: what the AOF kept, and the rest applied exactly once after it. */
describe('Redis with AOF restarted mid-stream', () => {
  jest.setTimeout(900_000);
  let redis: AofRedis;
  let cluster: IngestCluster;
  const ledger = new SentLedger();

  beforeAll(async () => {
    redis = await AofRedis.start();
    cluster = await IngestCluster.start({ shards: 4, env: { REDIS_URL: redis.url } });
  });

  afterAll(async () => {
    await cluster?.stop();
    await redis?.stop();
  });

  it('keeps every event exactly once through a SHUTDOWN and restart during a replay', async () => {
    cluster.startWorker();
    cluster.startWorker();
    const replaying = replay(cluster, ledger, days('2011-11-07', '2011-11-08', '2011-11-09'), 100);
    let replayFailure: unknown;
    replaying.catch((error: unknown) => (replayFailure = error));
    // Mid-stream: some events applied, most still to come.
    await explained(
      cluster,
      eventually(
        async () => {
          if (replayFailure) throw replayFailure as Error;
          return (await cluster.redis.zcard(`${cluster.prefix}stock-index`)) >= 200 || undefined;
        },
        120_000,
        'the first 200 products applied',
      ),
    );
    const applied = Number(await cluster.redis.get(`${cluster.prefix}version`));
    const sentBeforeRestart = ledger.events;
    await redis.restart();
    // The restarted server came back with what it had applied (the AOF), not empty.
    expect(Number(await cluster.redis.get(`${cluster.prefix}version`))).toBeGreaterThanOrEqual(applied);
    const summary = await replaying;
    expect(ledger.events).toBe(summary.eventsSent);
    expect(summary.eventsSent).toBeGreaterThan(sentBeforeRestart);
    await drained(cluster, ledger);

    expectClean(await reconcile(cluster.config, 300));
    await expectLedger(cluster, ledger);
    // Both workers lived through the restart (their connections reconnect): any that exited, with its last words.
    const exited = [...cluster.workers.values()].filter((worker) => !worker.running);
    expect(exited.map((worker) => `${worker.name}: ${worker.output.slice(-8).join('\n')}`)).toEqual([]);
  });
});

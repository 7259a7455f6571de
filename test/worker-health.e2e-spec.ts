import { randomBytes } from 'node:crypto';
import { loadConfig } from '@stockwall/config';
import { createKinesisClient, EventPublisher } from '@stockwall/ingest';
import { findFreePort, KinesisEmulator, startKinesisEmulator } from '@stockwall/local-stack';
import { historyDay } from './support/history-events';
import { isolatedProcessEnv, removeProcessData } from './support/process-env';
import { eventually } from './support/test-stack';
import { WorkerProcess } from './support/worker-process';

/** A sample's value from Prometheus text, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('Worker operations: /metrics, /health/live and /health/ready on the metrics port, persist lag from Redis and the queue', () => {
  const id = randomBytes(4).toString('hex');
  let emulator: KinesisEmulator;
  let env: Record<string, string>;
  let publisher: EventPublisher;
  let destroyClient: () => void;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    emulator = await startKinesisEmulator({ port: 0 });
    env = { ...(await isolatedProcessEnv(id, emulator.endpoint)), LEASE_TTL_MS: '3000', POLL_IDLE_MS: '50' };
    const config = loadConfig(env);
    const kinesis = createKinesisClient({ region: config.kinesis.region, endpoint: emulator.endpoint });
    destroyClient = () => kinesis.destroy();
    publisher = new EventPublisher(kinesis, config.kinesis.streamName);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.kill('SIGTERM')));
    destroyClient?.();
    await emulator?.stop();
    if (env) await removeProcessData(env);
  });

  const start = async (name: string, extra: Record<string, string>) => {
    const port = await findFreePort();
    const worker = new WorkerProcess(`${name}-${id}`, { ...env, ...extra, METRICS_PORT: String(port) });
    workers.push(worker);
    const url = `http://127.0.0.1:${port}`;
    await eventually(
      () => fetch(`${url}/health/live`).then((response) => (response.ok ? true : undefined)),
      90_000,
      `${name} answering /health/live`,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${worker.output.slice(-20).join('\n')}`);
    });
    return { worker, url };
  };
  const ready = async (url: string) => {
    const response = await fetch(`${url}/health/ready`);
    return { status: response.status, body: (await response.json()) as any };
  };
  const metrics = (url: string) => fetch(`${url}/metrics`).then((response) => response.text());

  it('counts what MySQL is behind while only an ingest worker runs, and nothing once a jobs worker has persisted it', async () => {
    const ingest = await start('ingest', { WORKER_ROLES: 'ingest' });
    await eventually(async () => ((await ready(ingest.url)).body.checks.leasesHeld === 1 ? true : undefined));

    const events = historyDay(`health-${id}`);
    await publisher.publish(events);
    await publisher.publishRaw([{ data: Buffer.from('{not json'), partitionKey: 'bad' }]);

    const behind = await eventually(async () => {
      const text = await metrics(ingest.url);
      return sample(text, 'stockwall_persist_lag_events') === events.length ? text : undefined;
    }, 30_000);
    expect(sample(behind, 'stockwall_ingest_events_applied_total')).toBe(events.length);
    expect(sample(behind, 'stockwall_queue_jobs{queue="persist",state="wait"}')).toBeGreaterThanOrEqual(1);
    expect(sample(behind, 'stockwall_persist_lag_seconds')).toBeGreaterThan(0);
    expect(sample(behind, 'stockwall_queue_oldest_job_age_seconds{queue="persist"}')).toBeGreaterThan(0);
    expect(sample(behind, 'stockwall_ingest_dead_letters_total{reason="not_json"}')).toBe(1);
    expect(behind).toMatch(/^stockwall_ingest_millis_behind_latest\{shard="shardId-000000000000"\} \d+$/m);
    expect(behind).toContain('process_resident_memory_bytes');

    const readyWhileBehind = await ready(ingest.url);
    expect(readyWhileBehind.status).toBe(200);
    expect(readyWhileBehind.body).toMatchObject({
      status: 'ok',
      checks: { roles: ['ingest'], redis: 'up', mysql: 'unused', leasesHeld: 1, persistLag: { events: events.length } },
    });
    expect(readyWhileBehind.body.checks.lastApplyAgeSeconds).toBeLessThan(30);

    const jobs = await start('jobs', { WORKER_ROLES: 'jobs' });
    await eventually(
      async () => (sample(await metrics(jobs.url), 'stockwall_persist_lag_events') === 0 ? true : undefined),
      60_000,
      'MySQL catching up',
    );
    expect((await ready(jobs.url)).body).toMatchObject({
      status: 'ok',
      checks: { roles: ['jobs'], mysql: 'ready', persistLag: { events: 0, batches: 0, seconds: 0 } },
    });
    expect(sample(await metrics(ingest.url), 'stockwall_persist_lag_events')).toBe(0);
  }, 240_000);
});

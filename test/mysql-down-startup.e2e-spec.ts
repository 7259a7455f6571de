import { randomBytes } from 'node:crypto';
import { stripVTControlCharacters } from 'node:util';
import Redis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { io } from 'socket.io-client';
import { loadConfig } from '@stockwall/config';
import { aProductAdded } from './factories/wire-events';
import { testJwtSecret } from './support/test-secret';
import type { Role, WireEvent } from '@stockwall/contracts';
import { createKinesisClient, ensureStream, EventPublisher } from '@stockwall/ingest';
import {
  ensureMariaDb,
  findFreePort,
  KinesisEmulator,
  LocalService,
  startKinesisEmulator,
} from '@stockwall/local-stack';
import { signAccessToken } from '@stockwall/platform';
import { bullConnection, closeWithConnection, createPersistQueue } from '../apps/worker/src/persist-queue';
import { ApiProcess } from './support/api-process';
import type { LiveClient } from './support/test-stack';
import { eventually } from './support/test-stack';
import { WorkerProcess } from './support/worker-process';

const FROM = '2024-04-01T00:00:00Z';
const TO = '2024-04-02T00:00:00Z';
const SKUS = ['DOWN-A', 'DOWN-B', 'DOWN-C'];

describe('Start-up while MySQL is down: the live path runs, MySQL-backed routes answer 503, all resumes when MySQL starts', () => {
  const id = randomBytes(4).toString('hex');
  let mariaDb: LocalService;
  let emulator: KinesisEmulator;
  let env: Record<string, string>;
  let databaseUrl: URL;
  let ingestWorker: WorkerProcess;
  let jobsWorker: WorkerProcess;
  let api: ApiProcess;
  let redis: Redis;

  const token = (role: Role) => signAccessToken(env.JWT_SECRET, { sub: `test-${role}`, role }, '1h');
  const get = async (path: string, role: Role = 'viewer') => {
    const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token(role)}` } });
    return { status: response.status, headers: response.headers, body: (await response.json()) as any };
  };
  // Nest colours its log lines; the patterns read the text.
  const linesOf = (output: string[], pattern: RegExp) =>
    output.map((line) => stripVTControlCharacters(line)).filter((line) => pattern.test(line));

  beforeAll(async () => {
    // A private MariaDB, stopped at once: its port is where MySQL "is down", and it can come back
    // there. The shared one on 3306 serves other tests and is never stopped.
    mariaDb = await ensureMariaDb(`mysql://root@127.0.0.1:${await findFreePort()}/stockwall_down`);
    expect(mariaDb.started).toBe(true);
    await mariaDb.stopServer!();
    databaseUrl = new URL(mariaDb.url);
    databaseUrl.pathname = `/stockwall_down_${id}`;

    emulator = await startKinesisEmulator({ port: 0 });
    env = {
      NODE_ENV: 'test',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `test:${id}:`,
      QUEUE_PREFIX: `test-${id}`,
      DATABASE_URL: databaseUrl.toString(),
      KINESIS_ENDPOINT: emulator.endpoint,
      KINESIS_STREAM: `events-${id}`,
      KINESIS_SHARDS: '1',
      LEASE_TTL_MS: '3000',
      POLL_IDLE_MS: '50',
      JWT_SECRET: testJwtSecret(),
    };
    const config = loadConfig(env);
    redis = new Redis(config.redis.url);
    const kinesis = createKinesisClient({ region: config.kinesis.region, endpoint: emulator.endpoint });
    await ensureStream(kinesis, {
      streamName: config.kinesis.streamName,
      shardCount: 1,
      allowCreate: true,
      endpointLabel: emulator.endpoint,
    });
    kinesis.destroy();
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([api?.stop(), ingestWorker?.kill('SIGTERM'), jobsWorker?.kill('SIGTERM')]);
    if (redis) {
      const keys = [...(await redis.keys(`${env.REDIS_PREFIX}*`)), ...(await redis.keys(`${env.QUEUE_PREFIX}:*`))];
      for (let start = 0; start < keys.length; start += 500) await redis.del(...keys.slice(start, start + 500));
      redis.disconnect();
    }
    await emulator?.stop();
    await mariaDb?.stop();
  });

  it('starts an ingest worker, a jobs worker and the API without MySQL, then persists and serves history once it answers', async () => {
    ingestWorker = new WorkerProcess(`ingest-${id}`, { ...env, WORKER_ROLES: 'ingest' });
    jobsWorker = new WorkerProcess(`jobs-${id}`, { ...env, WORKER_ROLES: 'jobs' });
    api = await ApiProcess.start(env);

    const config = loadConfig(env);
    const publisher = new EventPublisher(
      createKinesisClient({ region: config.kinesis.region, endpoint: emulator.endpoint }),
      config.kinesis.streamName,
    );
    const events: WireEvent[] = SKUS.map((sku, index) =>
      aProductAdded({ id: `${sku}-added`, sku, name: sku, quantity: 10 + index, at: '2024-04-01T12:00:00Z' }),
    );
    await publisher.publish(events);

    // The live path: Redis-backed REST and /live sockets.
    const rows = await eventually(
      async () => {
        const response = await get('/api/v1/stock?search=DOWN-');
        return response.body.rows?.length === SKUS.length ? response.body.rows : undefined;
      },
      30_000,
      'the ingest-only worker to apply the batch to Redis',
    );
    expect(rows.map((row: { onHand: number }) => row.onHand)).toEqual([10, 11, 12]);
    expect((await get('/api/v1/kpis/live?window=24h')).status).toBe(200);
    const socket: LiveClient = io(`${api.url}/live`, {
      auth: { token: token('viewer') },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    const ack = await socket.emitWithAck('subscribe', { channels: ['stock'] });
    socket.disconnect();
    expect(ack.ok && ack.snapshot.stock.map((row) => row.sku).sort()).toEqual(SKUS);

    // MySQL-backed routes: 503 with what is missing and when to ask again.
    const history = await get(`/api/v1/kpis/history?from=${FROM}&to=${TO}&interval=1h`);
    expect(history.status).toBe(503);
    expect(history.body).toMatchObject({
      statusCode: 503,
      message: 'History is unavailable: MySQL is not answering; retrying',
    });
    expect(Number(history.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(history.headers.get('retry-after'))).toBeLessThanOrEqual(15);
    const alerts = await get(`/api/v1/alerts?from=${FROM}&to=${TO}`);
    expect(alerts.status).toBe(503);
    expect(alerts.body.message).toBe('Alerts are unavailable: MySQL is not answering; retrying');
    expect((await get('/api/v1/dead-letters', 'admin')).status).toBe(503);
    expect((await get('/api/v1/dead-letters?source=live', 'admin')).status).toBe(200);
    // Ready for the live path (the load balancer keeps the node), degraded for history.
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('degraded');
    expect(ready.body.checks.redis.status).toBe('up');
    expect(ready.body.checks.mysql).toMatchObject({
      status: 'down',
      error: expect.stringMatching(/MySQL is not answering/),
    });

    // Persist jobs are queued, tried, and put back to wait for MySQL; none is dropped or done.
    const queue = createPersistQueue(bullConnection(config.redis.url), config.queue.prefix);
    await eventually(
      async () => ((await queue.getDelayedCount()) > 0 ? true : undefined),
      30_000,
      'a persist job tried and waiting for its retry',
    );
    expect(await queue.getFailedCount()).toBe(0);
    expect(await queue.getCompletedCount()).toBe(0);

    // One clear line per process about the outage, however many reconnects it spans (1, 2, 4 s...);
    // the ingest-only worker never tries MySQL.
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    expect(ingestWorker.running && jobsWorker.running && api.running).toBe(true);
    expect(
      linesOf(jobsWorker.output, /\[MySQL\].*MySQL is not answering at .*retrying in the background/),
    ).toHaveLength(1);
    expect(linesOf(api.output, /\[MySQL\].*MySQL is not answering at .*retrying in the background/)).toHaveLength(1);
    expect(linesOf(ingestWorker.output, /MySQL/)).toEqual([]);

    // MySQL starts: migrations run, history answers, the queued batch lands, without restarts.
    await mariaDb.startServer!();
    await jobsWorker.waitFor(/\[MySQL\].*MySQL is answering/, 30_000);
    const [recovered] = linesOf(jobsWorker.output, /\[MySQL\].*MySQL is answering .* after \d+ attempts/);
    expect(Number(/after (\d+) attempts/.exec(recovered)![1])).toBeGreaterThanOrEqual(3);
    const answered = await eventually(
      async () => {
        const response = await get(`/api/v1/kpis/history?from=${FROM}&to=${TO}&interval=1h`);
        return response.status === 200 ? response : undefined;
      },
      30_000,
      'the history route to answer once MySQL is back',
    );
    expect(answered.body).toBeDefined();
    expect((await get(`/api/v1/alerts?from=${FROM}&to=${TO}`)).status).toBe(200);
    const connection = await createConnection({ uri: databaseUrl.toString() });
    try {
      const persisted = await eventually(
        async () => {
          const [found] = await connection.query('SELECT sku, on_hand FROM stock_levels ORDER BY sku');
          const stored = found as { sku: string; on_hand: number }[];
          return stored.length === SKUS.length ? stored : undefined;
        },
        60_000,
        'the persist jobs to write MySQL after their retry',
      );
      expect(persisted.map((row) => [row.sku, Number(row.on_hand)])).toEqual([
        ['DOWN-A', 10],
        ['DOWN-B', 11],
        ['DOWN-C', 12],
      ]);
      const [[{ count }]] = (await connection.query('SELECT COUNT(*) AS count FROM inventory_events')) as unknown as [
        { count: number }[],
      ];
      expect(Number(count)).toBe(SKUS.length);
    } finally {
      await connection.end();
    }
    await eventually(async () => ((await queue.getCompletedCount()) > 0 ? true : undefined), 10_000, 'completed jobs');
    await closeWithConnection(queue);
    expect(ingestWorker.running && jobsWorker.running && api.running).toBe(true);
    expect(linesOf(ingestWorker.output, /MySQL/)).toEqual([]);
  }, 240_000);
});

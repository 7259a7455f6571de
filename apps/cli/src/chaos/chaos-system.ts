import { KinesisClient, MergeShardsCommand, Shard } from '@aws-sdk/client-kinesis';
import Redis from 'ioredis';
import { createConnection, type Connection } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { loadConfig, StockwallConfig } from '@stockwall/config';
import { RedisKeys } from '@stockwall/contracts';
import { createKinesisClient, ensureStream } from '@stockwall/ingest';
import { findFreePort, KinesisFaultProxy, LocalService } from '@stockwall/local-stack';
import { signAccessToken } from '@stockwall/platform';
import { KinesisEmulatorProcess, PrivateRedis, startPrivateMariaDb } from './private-services';
import { listOpenShards, listShards, splitShardInHalf } from './stream-shards';
import { projectRoot, SystemProcess } from './system-process';

export interface SystemOptions {
  /** Folder for the worker and API logs, kept after the run. */
  logDir: string;
  shards: number;
  workers: number;
  apis: number;
  /** Printed as the system comes up. */
  log: (line: string) => void;
}

const STREAM = 'chaos-events';
/** A new secret per run: the run's processes and its socket clients share it, and nothing else does. */
const JWT_SECRET = randomBytes(32).toString('hex');

/**
 * The whole system as separate processes on private services, so the run never touches the machine's
 * own Redis or MariaDB: a redis-server with the AOF on, a MariaDB that can be stopped and started, the
 * Kinesis emulator (its own process) behind the fault proxy, worker and API processes.
 */
export class ChaosSystem {
  readonly workers: SystemProcess[] = [];
  readonly apis: { process: SystemProcess; url: string }[] = [];
  config!: StockwallConfig;
  redis!: PrivateRedis;
  mariaDb!: Required<LocalService>;
  emulator!: KinesisEmulatorProcess;
  proxy!: KinesisFaultProxy;
  /** Direct to the emulator: producer and admin calls (split, merge, list). */
  kinesis!: KinesisClient;
  /** The run's own connection for measuring and checking; reconnects after a Redis restart. */
  monitor!: Redis;
  keys!: RedisKeys;
  private mysql: Connection | null = null;
  private env: Record<string, string> = {};

  constructor(private readonly options: SystemOptions) {}

  get streamName(): string {
    return STREAM;
  }

  async start(): Promise<void> {
    const { log } = this.options;
    this.redis = await PrivateRedis.start();
    log(`redis-server (appendonly yes) at ${this.redis.url}, dir ${this.redis.dir}`);
    this.mariaDb = await startPrivateMariaDb('stockwall_chaos');
    log(`private MariaDB at ${this.mariaDb.url}`);
    this.emulator = await KinesisEmulatorProcess.start();
    this.proxy = await KinesisFaultProxy.start(this.emulator.endpoint);
    log(`Kinesis emulator at ${this.emulator.endpoint}, workers read it through the fault proxy at ${this.proxy.url}`);

    this.env = {
      NODE_ENV: 'production',
      REDIS_URL: this.redis.url,
      REDIS_PREFIX: 'chaos:',
      QUEUE_PREFIX: 'chaos',
      DATABASE_URL: this.mariaDb.url,
      KINESIS_ENDPOINT: this.emulator.endpoint,
      KINESIS_STREAM: STREAM,
      KINESIS_SHARDS: String(this.options.shards),
      LEASE_TTL_MS: '3000',
      POLL_IDLE_MS: '100',
      JWT_SECRET,
      METRICS_PORT: '0',
      // The replay spans more than a year of event time; the run checks every event id in MySQL, so the
      // retention prune (90 days by default) must not remove the older ones.
      RETENTION_DAYS: '36500',
      // No dashboard build needed: the run talks to the API and the socket only.
      DASHBOARD_DIR: path.join(projectRoot(), 'no-dashboard'),
    };
    this.config = loadConfig(this.env);
    this.keys = new RedisKeys(this.config.redis.prefix);
    this.kinesis = createKinesisClient({ region: this.config.kinesis.region, endpoint: this.emulator.endpoint });
    await ensureStream(this.kinesis, {
      streamName: STREAM,
      shardCount: this.options.shards,
      allowCreate: true,
      endpointLabel: this.emulator.endpoint,
    });
    this.monitor = new Redis(this.redis.url, { maxRetriesPerRequest: 2, retryStrategy: () => 200 });
    this.monitor.on('error', () => undefined);

    for (let index = 1; index <= this.options.workers; index++) {
      const name = `worker-${index}`;
      const env = { ...this.env, KINESIS_ENDPOINT: this.proxy.url };
      const worker = new SystemProcess(name, 'worker', env, path.join(this.options.logDir, `${name}.log`));
      this.workers.push(worker);
      this.startWorker(worker);
    }
    for (let index = 1; index <= this.options.apis; index++) {
      const port = await findFreePort();
      const name = `api-${index}`;
      const logFile = path.join(this.options.logDir, `${name}.log`);
      const api = new SystemProcess(name, 'api', { ...this.env, PORT: String(port) }, logFile);
      this.apis.push({ process: api, url: `http://127.0.0.1:${port}` });
      api.start();
    }
    await Promise.all(this.apis.map((api) => this.waitForApi(api)));
    log(`${this.options.workers} worker and ${this.options.apis} API processes started`);
  }

  /** Starts (or restarts) a worker under a new worker id, as an orchestrator would start a new instance. */
  startWorker(worker: SystemProcess): void {
    worker.start({ WORKER_ID: `${worker.name}.${worker.starts + 1}` });
  }

  /** The worker id a process runs under: its name and start count. */
  workerId(worker: SystemProcess): string {
    return `${worker.name}.${worker.starts}`;
  }

  liveWorkerIds(): Set<string> {
    return new Set(this.workers.filter((worker) => worker.running).map((worker) => this.workerId(worker)));
  }

  async waitForApi(api: { process: SystemProcess; url: string }, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!api.process.running) break;
      const ok = await fetch(`${api.url}/health/live`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${api.process.name} did not answer on ${api.url}:\n${api.process.tail()}`);
  }

  token(): string {
    return signAccessToken(JWT_SECRET, { sub: 'chaos-wall', role: 'viewer' }, '2h');
  }

  shards(): Promise<Shard[]> {
    return listShards(this.kinesis, STREAM);
  }

  openShards(): Promise<Shard[]> {
    return listOpenShards(this.kinesis, STREAM);
  }

  split(shard: Shard): Promise<void> {
    return splitShardInHalf(this.kinesis, STREAM, shard);
  }

  async merge(shard: Shard, adjacent: Shard): Promise<void> {
    await this.kinesis.send(
      new MergeShardsCommand({
        StreamName: STREAM,
        ShardToMerge: shard.ShardId,
        AdjacentShardToMerge: adjacent.ShardId,
      }),
    );
  }

  async leaseOwners(shardIds: string[]): Promise<Map<string, string | null>> {
    const pipeline = this.monitor.pipeline();
    for (const shard of shardIds) pipeline.hget(this.keys.lease(STREAM, shard), 'owner');
    const results = (await pipeline.exec()) ?? [];
    return new Map(shardIds.map((shard, index) => [shard, (results[index]?.[1] as string | null) ?? null]));
  }

  async checkpointEnded(shardId: string): Promise<boolean> {
    return (await this.monitor.hget(this.keys.checkpoint(STREAM, shardId), 'end')) === '1';
  }

  async version(): Promise<number> {
    return Number((await this.monitor.get(this.keys.version())) ?? 0);
  }

  /** A MySQL connection for measuring, or null while MySQL does not answer. */
  async mysqlConnection(): Promise<Connection | null> {
    if (this.mysql) return this.mysql;
    try {
      const url = new URL(this.mariaDb.url);
      this.mysql = await createConnection({
        host: url.hostname,
        port: Number(url.port),
        user: decodeURIComponent(url.username) || 'root',
        database: this.config.database.name,
        connectTimeout: 2_000,
      });
      this.mysql.on('error', () => (this.mysql = null));
      return this.mysql;
    } catch {
      this.mysql = null;
      return null;
    }
  }

  /** Drops the measuring connection after a failed query (MySQL went away). */
  dropMysql(): void {
    this.mysql?.destroy();
    this.mysql = null;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.workers, ...this.apis.map((api) => api.process)].map((child) => stopProcess(child)));
    this.monitor?.disconnect();
    this.dropMysql();
    this.kinesis?.destroy();
    await this.proxy?.stop();
    await this.emulator?.stop();
    await this.mariaDb?.stop();
    await this.redis?.stop();
  }
}

async function stopProcess(child: SystemProcess): Promise<void> {
  if (!child.running) return;
  await child.kill('SIGTERM', 15_000);
}

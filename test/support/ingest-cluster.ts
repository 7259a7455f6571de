import { randomBytes } from 'node:crypto';
import { KinesisClient, MergeShardsCommand, PutRecordsCommand, Shard } from '@aws-sdk/client-kinesis';
import { loadConfig, StockwallConfig } from '@stockwall/config';
import { testJwtSecret } from './test-secret';
import { createKinesisClient, EventPublisher } from '@stockwall/ingest';
import { KinesisFaultProxy, startKinesisEmulator } from '@stockwall/local-stack';
import { Infrastructure, openInfrastructure } from '@stockwall/platform';
import { KinesisLocal, startKinesaliteProcess, startKinesisLocal } from './kinesis-local';
import { WorkerProcess } from './worker-process';
import { listOpenShards, listShards, splitShardInHalf } from '../../apps/cli/src/chaos/stream-shards';

export interface IngestClusterOptions {
  shards: number;
  /** kinesalite in this process (default), kinesalite in its own process, or kinesis-local. */
  emulator?: 'kinesalite' | 'kinesalite-process' | 'kinesis-local';
  /** Put the fault-injecting proxy between the workers and the emulator. */
  faultProxy?: boolean;
  env?: Record<string, string>;
}

/**
 * Real worker processes on one stream, with their own emulator, Redis prefix, queue prefix and
 * MySQL database; the test process keeps its own connections to inspect state and to produce.
 */
export class IngestCluster {
  readonly id = randomBytes(4).toString('hex');
  readonly workers = new Map<string, WorkerProcess>();
  config!: StockwallConfig;
  infrastructure!: Infrastructure;
  publisher!: EventPublisher;
  admin!: KinesisClient;
  proxy: KinesisFaultProxy | null = null;
  /** The emulator's process id when it runs in a child process. */
  emulatorPid: number | null = null;
  private workerEnv: Record<string, string> = {};
  private stopEmulator: () => Promise<void> = async () => undefined;
  private started = 0;

  static async start(options: IngestClusterOptions): Promise<IngestCluster> {
    const cluster = new IngestCluster();
    await cluster.boot(options);
    return cluster;
  }

  get redis() {
    return this.infrastructure.redis;
  }

  get prefix(): string {
    return this.config.redis.prefix;
  }

  private async boot(options: IngestClusterOptions): Promise<void> {
    let endpoint: string;
    if (options.emulator === 'kinesis-local' || options.emulator === 'kinesalite-process') {
      const emulator: KinesisLocal =
        options.emulator === 'kinesis-local' ? await startKinesisLocal() : await startKinesaliteProcess();
      endpoint = emulator.endpoint;
      this.emulatorPid = emulator.pid;
      this.stopEmulator = () => emulator.stop();
    } else {
      const emulator = await startKinesisEmulator({ port: 0 });
      endpoint = emulator.endpoint;
      this.stopEmulator = () => emulator.stop();
    }
    if (options.faultProxy) this.proxy = await KinesisFaultProxy.start(endpoint);
    const databaseUrl = new URL(process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/stockwall');
    databaseUrl.pathname = `/stockwall_test_${this.id}`;
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `test:${this.id}:`,
      QUEUE_PREFIX: `test-${this.id}`,
      DATABASE_URL: databaseUrl.toString(),
      KINESIS_ENDPOINT: endpoint,
      KINESIS_STREAM: `events-${this.id}`,
      KINESIS_SHARDS: String(options.shards),
      LEASE_TTL_MS: '3000',
      POLL_IDLE_MS: '50',
      JWT_SECRET: testJwtSecret(),
      ...options.env,
    };
    this.config = loadConfig(env);
    this.infrastructure = await openInfrastructure(this.config);
    this.publisher = new EventPublisher(this.infrastructure.kinesis, this.config.kinesis.streamName);
    this.admin = createKinesisClient({ region: this.config.kinesis.region, endpoint });
    this.workerEnv = { ...env, KINESIS_ENDPOINT: this.proxy?.url ?? endpoint };
  }

  startWorker(name = `w${this.started}-${this.id}`, env: Record<string, string> = {}): WorkerProcess {
    this.started++;
    const worker = new WorkerProcess(name, { ...this.workerEnv, ...env });
    this.workers.set(name, worker);
    return worker;
  }

  runningWorkers(): WorkerProcess[] {
    return [...this.workers.values()].filter((worker) => worker.running);
  }

  shards(): Promise<Shard[]> {
    return listShards(this.admin, this.config.kinesis.streamName);
  }

  openShards(): Promise<Shard[]> {
    return listOpenShards(this.admin, this.config.kinesis.streamName);
  }

  split(shard: Shard): Promise<void> {
    return splitShardInHalf(this.admin, this.config.kinesis.streamName, shard);
  }

  async merge(shard: Shard, adjacent: Shard): Promise<void> {
    await this.admin.send(
      new MergeShardsCommand({
        StreamName: this.config.kinesis.streamName,
        ShardToMerge: shard.ShardId,
        AdjacentShardToMerge: adjacent.ShardId,
      }),
    );
  }

  /** Puts raw records straight on one hash key (and so one shard). */
  async putAtHashKey(hashKey: bigint, payloads: Buffer[]): Promise<void> {
    await this.admin.send(
      new PutRecordsCommand({
        StreamName: this.config.kinesis.streamName,
        Records: payloads.map((data) => ({ Data: data, PartitionKey: 'direct', ExplicitHashKey: hashKey.toString() })),
      }),
    );
  }

  async leaseOwners(): Promise<Map<string, string>> {
    const owners = new Map<string, string>();
    for (const shard of await this.shards()) {
      const owner = await this.redis.hget(
        `${this.prefix}lease:${this.config.kinesis.streamName}:${shard.ShardId}`,
        'owner',
      );
      if (owner) owners.set(shard.ShardId!, owner);
    }
    return owners;
  }

  async checkpoint(shardId: string): Promise<Record<string, string>> {
    return this.redis.hgetall(`${this.prefix}checkpoint:${this.config.kinesis.streamName}:${shardId}`);
  }

  async onHand(skus: string[]): Promise<Record<string, number | null>> {
    const pipeline = this.redis.pipeline();
    for (const sku of skus) pipeline.hget(`${this.prefix}stock:main:${sku}`, 'on');
    const results = (await pipeline.exec()) ?? [];
    return Object.fromEntries(
      skus.map((sku, index) => {
        const value = results[index]?.[1] as string | null;
        return [sku, value === null ? null : Number(value)];
      }),
    );
  }

  async stop(): Promise<void> {
    await Promise.all([...this.workers.values()].map((worker) => worker.kill('SIGKILL')));
    const { redis, dataSource } = this.infrastructure;
    const keys = [
      ...(await redis.keys(`${this.config.redis.prefix}*`)),
      ...(await redis.keys(`${this.config.queue.prefix}:*`)),
    ];
    for (let start = 0; start < keys.length; start += 500) await redis.del(...keys.slice(start, start + 500));
    await dataSource.query(`DROP DATABASE IF EXISTS \`${this.config.database.name}\``);
    await this.infrastructure.close();
    this.admin.destroy();
    await this.proxy?.stop();
    await this.stopEmulator();
  }
}

import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { io, Socket } from 'socket.io-client';
import { loadConfig, requireJwtSecret, StockwallConfig, WORKER_ROLES, WorkerRole } from '@stockwall/config';
import { testJwtSecret } from './test-secret';
import type { LiveClientToServerEvents, LiveServerToClientEvents, Role, WireEvent } from '@stockwall/contracts';
import { EventPublisher } from '@stockwall/ingest';
import { KinesisEmulator, startKinesisEmulator } from '@stockwall/local-stack';
import { Infrastructure, openInfrastructure, signAccessToken } from '@stockwall/platform';
import { createApiApplication } from '../../apps/api/src/api-application';
import { WorkerModule } from '../../apps/worker/src/worker.module';

export type LiveClient = Socket<LiveServerToClientEvents, LiveClientToServerEvents>;

export interface TestStackOptions {
  shards?: number;
  workers?: number;
  api?: boolean;
  env?: Record<string, string>;
}

/**
 * A whole Stockwall on real services, isolated per test file: its own Kinesis emulator and
 * stream, Redis key prefix, queue prefix and MySQL database, all removed at the end.
 */
export class TestStack {
  readonly id = randomBytes(4).toString('hex');
  config!: StockwallConfig;
  emulator!: KinesisEmulator;
  infrastructure!: Infrastructure;
  publisher!: EventPublisher;
  api: INestApplication | null = null;
  apiUrl = '';
  private readonly workers: { app: INestApplicationContext; infrastructure: Infrastructure }[] = [];
  private readonly sockets: LiveClient[] = [];

  static async start(options: TestStackOptions = {}): Promise<TestStack> {
    const stack = new TestStack();
    await stack.boot(options);
    return stack;
  }

  private async boot(options: TestStackOptions): Promise<void> {
    this.emulator = await startKinesisEmulator({ port: 0 });
    const databaseUrl = new URL(process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/stockwall');
    databaseUrl.pathname = `/stockwall_test_${this.id}`;
    this.config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `test:${this.id}:`,
      QUEUE_PREFIX: `test-${this.id}`,
      DATABASE_URL: databaseUrl.toString(),
      KINESIS_ENDPOINT: this.emulator.endpoint,
      KINESIS_STREAM: `events-${this.id}`,
      KINESIS_SHARDS: String(options.shards ?? 2),
      LEASE_TTL_MS: '3000',
      POLL_IDLE_MS: '50',
      JWT_SECRET: testJwtSecret(),
      ...options.env,
    });
    this.infrastructure = await openInfrastructure(this.config);
    this.publisher = new EventPublisher(this.infrastructure.kinesis, this.config.kinesis.streamName);
    for (let index = 0; index < (options.workers ?? 1); index++) await this.startWorker();
    if (options.api ?? true) {
      this.api = await createApiApplication(this.infrastructure);
      await this.api.listen(0, '127.0.0.1');
      const address = this.api.getHttpServer().address() as AddressInfo;
      this.apiUrl = `http://127.0.0.1:${address.port}`;
    }
  }

  async startWorker(roles: WorkerRole[] = [...WORKER_ROLES]): Promise<INestApplicationContext> {
    const infrastructure = await openInfrastructure({
      ...this.config,
      worker: { ...this.config.worker, id: `w${this.workers.length}-${this.id}`, roles: new Set(roles) },
    });
    const app = await NestFactory.createApplicationContext(WorkerModule.register(infrastructure), {
      logger: ['error', 'warn'],
    });
    await app.init();
    this.workers.push({ app, infrastructure });
    return app;
  }

  token(role: Role): string {
    return signAccessToken(requireJwtSecret(this.config), { sub: `test-${role}`, role }, '1h');
  }

  async get(path: string, role: Role | null = 'viewer'): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      headers: role ? { authorization: `Bearer ${this.token(role)}` } : {},
    });
    return { status: response.status, body: await response.json() };
  }

  async connectLive(token: string | null = this.token('viewer')): Promise<LiveClient> {
    const socket: LiveClient = io(`${this.apiUrl}/live`, {
      auth: token ? { token } : {},
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    this.sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    return socket;
  }

  publish(...events: WireEvent[]): Promise<void> {
    return this.publisher.publish(events);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.disconnect();
    await this.api?.close();
    for (const worker of this.workers) {
      await worker.app.close();
      await worker.infrastructure.close();
    }
    const { redis, dataSource } = this.infrastructure;
    const keys = await redis.keys(`${this.config.redis.prefix}*`);
    const queueKeys = await redis.keys(`${this.config.queue.prefix}:*`);
    for (let start = 0; start < keys.length + queueKeys.length; start += 500) {
      await redis.del(...[...keys, ...queueKeys].slice(start, start + 500));
    }
    await dataSource.query(`DROP DATABASE IF EXISTS \`${this.config.database.name}\``);
    await this.infrastructure.close();
    await this.emulator.stop();
  }
}

/** Polls until `probe` returns a value that is not undefined, or fails with the last value seen. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`,
  );
}

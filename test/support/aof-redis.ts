import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { findFreePort } from '@stockwall/local-stack';
import { eventually } from './test-stack';

/** A private redis-server with AOF on, in its own directory, restartable on the same port. */
export class AofRedis {
  private process: ChildProcess | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), 'stockwall-aof-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<AofRedis> {
    const redis = new AofRedis(await findFreePort());
    await redis.launch();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async launch(): Promise<void> {
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--save', ''],
      { stdio: 'ignore' },
    );
    await eventually(
      async () => {
        const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        try {
          await client.connect();
          return (await client.ping()) === 'PONG' ? true : undefined;
        } finally {
          client.disconnect();
        }
      },
      10_000,
      'the private redis-server',
    );
  }

  /** SHUTDOWN (AOF flushed), then the same server again on the same files. */
  async restart(): Promise<void> {
    const exited = new Promise((resolve) => this.process!.once('exit', resolve));
    const client = new Redis(this.url, { maxRetriesPerRequest: 0 });
    await client.call('SHUTDOWN').catch(() => undefined);
    client.disconnect();
    await exited;
    await this.launch();
  }

  async stop(): Promise<void> {
    if (this.process && this.process.exitCode === null) {
      const exited = new Promise((resolve) => this.process!.once('exit', resolve));
      this.process.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

import { ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ensureMariaDb,
  findFreePort,
  isKinesisEndpointAnswering,
  LocalService,
  pingRedis,
} from '@stockwall/local-stack';

const started = new Set<ChildProcess>();
let exitHooked = false;

/** A child of the run that must not outlive it, even when the run is interrupted. */
export function killOnExit(child: ChildProcess): void {
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', () => {
      for (const orphan of started) orphan.kill('SIGKILL');
    });
  }
  started.add(child);
  child.once('exit', () => started.delete(child));
}

const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function findBinary(name: string): string {
  for (const dir of [...(process.env.PATH ?? '').split(':'), ...SYSTEM_DIRS]) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  throw new Error(`${name} is not installed: apt-get install -y ${name === 'redis-server' ? 'redis-server' : name}`);
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number, dead: () => boolean) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (dead()) throw new Error(`${what} exited while starting`);
    if (Date.now() > deadline) throw new Error(`${what} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A private redis-server with the append-only file on, on its own port and directory, which the
 * run can shut down (SHUTDOWN, which writes the AOF) and start again on the same port with the same
 * directory — what a Redis restart in production looks like.
 */
export class PrivateRedis {
  private child: ChildProcess | null = null;
  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await findFreePort(), mkdtempSync(join(tmpdir(), 'stockwall-chaos-redis-')));
    await redis.startServer();
    return redis;
  }

  async startServer(): Promise<void> {
    const log = openSync(join(this.dir, 'redis.log'), 'a');
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', ''];
    args.push('--appendonly', 'yes', '--appendfsync', 'everysec', '--daemonize', 'no', '--logfile', '');
    // Its own process group, so a Ctrl-C reaches the run, which then stops it.
    const child = spawn(findBinary('redis-server'), args, { stdio: ['ignore', log, log], detached: true });
    closeSync(log);
    killOnExit(child);
    this.child = child;
    await until(
      'redis-server',
      () => pingRedis(this.url, 500).then(() => true),
      30_000,
      () => child.exitCode !== null,
    );
  }

  /** SHUTDOWN: Redis writes and syncs the AOF, then exits. */
  async shutdownServer(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const { default: Redis } = await import('ioredis');
    const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    await client.connect();
    await client.call('SHUTDOWN').catch(() => undefined);
    client.disconnect();
    await exited;
    this.child = null;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    this.child = null;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A private MariaDB (never the machine's own), which can be stopped and started again with its data.
 * `ensureMariaDb` starts one when the URL it is given does not answer: it is given a free port.
 */
export async function startPrivateMariaDb(database: string): Promise<Required<LocalService>> {
  const unused = await findFreePort();
  const service = await ensureMariaDb(`mysql://root@127.0.0.1:${unused}/${database}`);
  if (!service.started || !service.stopServer || !service.startServer) {
    await service.stop();
    throw new Error('Could not start a private MariaDB (is mariadb-server installed?)');
  }
  return service as Required<LocalService>;
}

/** kinesalite in a child process, so the run's own event loop (producer, checks, sockets) does not slow it. */
export class KinesisEmulatorProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: string,
  ) {}

  static async start(): Promise<KinesisEmulatorProcess> {
    const port = await findFreePort();
    // The same settings as the embedded emulator: streams and reshards take effect at once.
    const script =
      "require('kinesalite')({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 1000 })" +
      `.listen(${port}, '127.0.0.1'); process.on('SIGTERM', () => process.exit(0))`;
    const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore', cwd: __dirname });
    killOnExit(child);
    const emulator = new KinesisEmulatorProcess(child, `http://127.0.0.1:${port}`);
    try {
      await until(
        'the Kinesis emulator',
        () => isKinesisEndpointAnswering(emulator.endpoint, 1_000),
        30_000,
        () => child.exitCode !== null,
      );
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return emulator;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}

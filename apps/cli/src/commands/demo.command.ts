import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import type { Command } from 'commander';
import { ensureLocalSecret, loadConfig, requireJwtSecret } from '@stockwall/config';
import { createKinesisClient, ensureStream, EventPublisher } from '@stockwall/ingest';
import {
  ensureMariaDb,
  ensureRedis,
  findFreePort,
  isKinesisEndpointAnswering,
  LocalService,
  startKinesisEmulator,
} from '@stockwall/local-stack';
import { signAccessToken } from '@stockwall/platform';
import { positiveNumber } from './cli-error';
import { runSimulation } from './simulate.command';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('start Redis, MariaDB, a Kinesis emulator, a worker, an API and a simulator; print the wall URL')
    .option('--rate <events/s>', 'simulated events per second', '20')
    .option('--skus <n>', 'simulated SKUs', '40')
    .option('--verbose', 'print every log line', false)
    .action(demoCommand);
}

/** How long a child has to exit after SIGTERM before it gets SIGKILL. */
const STOP_GRACE_MS = 10_000;
/** After SIGKILL, how long to wait for its exit before the cleanups run regardless. */
const KILL_WAIT_MS = 2_000;

/**
 * One command, a whole local system: Redis and MariaDB (private ones when none answer), the
 * Kinesis emulator, a worker, the API with the dashboard, and the simulator. Ctrl-C stops all
 * of it.
 */
export async function demoCommand(values: { rate: string; skus: string; verbose: boolean }): Promise<void> {
  const verbose = values.verbose;
  const rate = positiveNumber('rate', values.rate, 20);
  const skus = Math.floor(positiveNumber('skus', values.skus, 40));
  // Unless told otherwise, the demo signs with this install's own random secret (.stockwall/, never in git).
  if (!process.env.JWT_SECRET?.trim() && !process.env.JWT_SECRET_FILE?.trim()) {
    process.env.JWT_SECRET_FILE = ensureLocalSecret().file;
  }
  const config = loadConfig();
  const cleanups: (() => Promise<unknown>)[] = [];
  const children: ChildProcess[] = [];
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\ndemo: stopping…');
    await stopChildren(children);
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  try {
    const redis = await announce(await ensureRedis(config.redis.url), 'Redis');
    cleanups.push(() => redis.stop());
    const mariadb = await announce(await ensureMariaDb(config.database.url), 'MariaDB');
    cleanups.push(() => mariadb.stop());

    let kinesisEndpoint: string;
    if (config.kinesis.endpoint.kind === 'url') {
      kinesisEndpoint = config.kinesis.endpoint.url;
    } else if (config.kinesis.endpoint.kind === 'aws') {
      throw new Error('The demo runs on a local emulator; unset KINESIS_ENDPOINT');
    } else {
      const url = `http://127.0.0.1:${config.kinesis.emulatorPort}`;
      if (await isKinesisEndpointAnswering(url)) {
        kinesisEndpoint = url;
      } else {
        // On disk: a second demo run continues the same stream, so the checkpoints in Redis
        // and the positions in MySQL still point into it.
        const emulator = await startKinesisEmulator({
          port: config.kinesis.emulatorPort,
          host: '127.0.0.1',
          path: config.kinesis.emulatorDir ?? undefined,
        });
        cleanups.push(() => emulator.stop());
        kinesisEndpoint = emulator.endpoint;
      }
    }
    console.log(`demo: Kinesis emulator at ${kinesisEndpoint}, stream ${config.kinesis.streamName}`);
    const kinesis = createKinesisClient({ region: config.kinesis.region, endpoint: kinesisEndpoint });
    cleanups.push(async () => kinesis.destroy());
    await ensureStream(kinesis, {
      streamName: config.kinesis.streamName,
      shardCount: config.kinesis.shardCount,
      allowCreate: true,
      endpointLabel: kinesisEndpoint,
    });

    const metricsPort = config.worker.metricsPortExplicit ? config.worker.metricsPort : await findFreePort();
    const env = {
      ...process.env,
      REDIS_URL: redis.url,
      DATABASE_URL: mariadb.url,
      KINESIS_ENDPOINT: kinesisEndpoint,
      METRICS_PORT: String(metricsPort),
      // Without --verbose the processes say only what needs attention; the demo prints one line for each.
      LOG_LEVEL: verbose ? (process.env.LOG_LEVEL ?? 'log') : 'warn',
    };
    const dist = path.resolve(__dirname, '../../..');
    const baseUrl = `http://localhost:${config.port}`;
    const worker = launch('worker', path.join(dist, 'worker/src/main.js'), env);
    const api = launch('api', path.join(dist, 'api/src/main.js'), env);
    children.push(worker, api);
    for (const child of children) {
      child.once('exit', (code) => {
        if (!stopping) {
          console.error(`demo: a child process exited (code ${code}); stopping`);
          void stopAll(1);
        }
      });
    }
    await waitForReady(`${baseUrl}/health/ready`, 60_000);
    console.log(
      `demo: worker (pid ${worker.pid}) → metrics http://localhost:${metricsPort}/metrics, health /health/ready`,
    );
    console.log(`demo: API    (pid ${api.pid}) → ${baseUrl}/api/docs, metrics ${baseUrl}/metrics`);

    const simulation = runSimulation(new EventPublisher(kinesis, config.kinesis.streamName), { rate, skus });
    cleanups.push(() => simulation.stop());
    const token = signAccessToken(
      requireJwtSecret(config),
      { sub: 'wall-screen', role: 'viewer' },
      config.auth.accessTokenMaxTtlSeconds,
    );
    console.log('');
    console.log(`demo: simulator sending ${rate} events/s for ${skus} SKUs at 2 locations`);
    console.log(`demo: dashboard (viewer) → ${baseUrl}/#token=${token}`);
    console.log(
      `demo: REST               → curl -H "Authorization: Bearer ${token.slice(0, 12)}…" ${baseUrl}/api/v1/stock`,
    );
    console.log(`demo: Ctrl-C stops everything this demo started${verbose ? '' : '; --verbose shows every log line'}`);
    await simulation.finished;
  } catch (error) {
    console.error(`demo: ${(error as Error).message}`);
    await stopAll(1);
  }
}

/**
 * SIGTERM to every child, SIGKILL to any still running after `graceMs`: a hung worker or API
 * never keeps the private Redis and MariaDB from being stopped.
 */
export async function stopChildren(children: readonly ChildProcess[], graceMs = STOP_GRACE_MS): Promise<void> {
  await Promise.all(children.map((child) => stopChild(child, graceMs)));
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
  child.kill('SIGTERM');
  if (await within(exited, graceMs)) return;
  console.error(`demo: process ${child.pid} did not stop within ${graceMs / 1000} s of SIGTERM; sending SIGKILL`);
  child.kill('SIGKILL');
  await within(exited, KILL_WAIT_MS);
}

function hasExited(child: ChildProcess): boolean {
  // A child ended by a signal has no exit code, only a signal code.
  return child.exitCode !== null || child.signalCode !== null;
}

/** Whether `exited` settles within `timeoutMs`. */
async function within(exited: Promise<boolean>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function announce(service: LocalService, name: string): Promise<LocalService> {
  console.log(
    service.started ? `demo: started a private ${name} at ${service.url}` : `demo: using ${name} at ${service.url}`,
  );
  return service;
}

function launch(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => `[${name}] ${line}`)
      .join('\n') + '\n';
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  return child;
}

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`The API did not become ready at ${url} within ${timeoutMs / 1000} s`);
}

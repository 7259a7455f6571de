import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { findFreePort, isKinesisEndpointAnswering } from '@stockwall/local-stack';

export interface KinesisLocal {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

const PACKAGE_DIR = path.dirname(require.resolve('kinesis-local/package.json'));

/** Starts kinesalite in a child process, so a benchmark's reader does not share its event loop. */
export async function startKinesaliteProcess(): Promise<KinesisLocal> {
  const port = await findFreePort();
  const script =
    "require('kinesalite')({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 1000 })" +
    `.listen(${port}, '127.0.0.1'); process.on('SIGTERM', () => process.exit(0))`;
  // EMULATOR_NODE_ARGS: extra node flags for profiling, e.g. `--cpu-prof --cpu-prof-dir=/tmp/profiles`
  // (SIGTERM exits normally, so the profile is written).
  const nodeArgs = (process.env.EMULATOR_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '-e', script], {
    cwd: path.resolve(__dirname, '..', '..'),
    stdio: 'ignore',
  });
  return waitUntilAnswering(child, `http://127.0.0.1:${port}`);
}

/** Starts kinesis-local (kinesis-mock's Node build) on free ports; plain HTTP is what the tests use. */
export async function startKinesisLocal(): Promise<KinesisLocal> {
  const plainPort = await findFreePort();
  const tlsPort = await findFreePort();
  const child = spawn(process.execPath, [path.join(PACKAGE_DIR, 'main.js')], {
    cwd: PACKAGE_DIR,
    env: {
      ...process.env,
      KINESIS_MOCK_PLAIN_PORT: String(plainPort),
      KINESIS_MOCK_TLS_PORT: String(tlsPort),
      CREATE_STREAM_DURATION: '0ms',
      SPLIT_SHARD_DURATION: '0ms',
      MERGE_SHARDS_DURATION: '0ms',
      UPDATE_SHARD_COUNT_DURATION: '0ms',
      SHOULD_PERSIST_DATA: 'false',
      LOG_LEVEL: 'ERROR',
    },
    stdio: 'ignore',
  });
  return waitUntilAnswering(child, `http://127.0.0.1:${plainPort}`);
}

async function waitUntilAnswering(child: ChildProcess, endpoint: string): Promise<KinesisLocal> {
  const deadline = Date.now() + 30_000;
  while (!(await isKinesisEndpointAnswering(endpoint, 1_000))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`The emulator did not answer at ${endpoint}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    endpoint,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

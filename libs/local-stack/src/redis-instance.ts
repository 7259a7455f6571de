import Redis from 'ioredis';
import { join } from 'node:path';
import { findFreePort } from './free-port';
import type { LocalService } from './local-service';
import { LocalStackError } from './local-stack-error';
import { findExecutable, makeTempDir, startProcess, waitForReady } from './managed-process';
import { errorText, localUrl, parseServiceUrl, redactUrl, withTimeout } from './service-url';

const PROBE_TIMEOUT_MS = 1_000;
const START_TIMEOUT_MS = 10_000;
const START_ATTEMPTS = 3;

/** Resolves once the Redis at url answers PING; rejects with the reason otherwise. */
export async function pingRedis(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    // ioredis otherwise holds the event loop for 2 s after a failed connection.
    disconnectTimeout: 50,
  });
  // Without a listener ioredis logs every failure; keep the last one, as connect() only says 'Connection is closed'.
  let lastError: unknown;
  client.on('error', (error) => (lastError = error));
  try {
    await withTimeout(
      (async () => {
        await client.connect();
        await client.ping();
      })(),
      timeoutMs,
      `no answer within ${timeoutMs} ms`,
    );
  } catch (error) {
    throw lastError ?? error;
  } finally {
    client.disconnect();
  }
}

/**
 * A Redis to use: the one at url if it answers, else a private redis-server on a free port that keeps
 * nothing on disk and dies with this process.
 */
export async function ensureRedis(url: string): Promise<LocalService> {
  const target = parseServiceUrl(url, ['redis:', 'rediss:'], 'Redis');
  const problem = await pingRedis(url).then(
    () => undefined,
    (error: unknown) => errorText(error),
  );
  if (problem === undefined) return { url, started: false, stop: () => Promise.resolve() };

  const binary = findExecutable('redis-server');
  if (!binary) {
    throw new LocalStackError(
      'redis_unavailable',
      `Redis is not answering at ${redactUrl(url)} and redis-server is not installed: apt-get install -y redis-server`,
    );
  }
  const reason = `Redis at ${redactUrl(url)} did not answer PING (${problem})`;
  for (let attempt = 1; ; attempt++) {
    try {
      return { ...(await startPrivateRedis(binary, target)), reason };
    } catch (error) {
      // Another process can take the free port between finding it and binding it.
      if (attempt < START_ATTEMPTS && /already in use/i.test(errorText(error))) continue;
      throw error;
    }
  }
}

async function startPrivateRedis(binary: string, target: URL): Promise<LocalService> {
  const port = await findFreePort();
  const dir = await makeTempDir('stockwall-redis');
  const logFile = join(dir, 'redis.log');
  // Empty --logfile sends the log to stdout, which goes to logFile.
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'];
  args.push('--daemonize', 'no', '--logfile', '');
  const proc = startProcess({ command: binary, args, dir, logFile });
  const url = localUrl(target, 'redis:', port);
  try {
    await waitForReady({
      what: 'redis-server',
      process: proc,
      isReady: () => pingRedis(url, 500).then(() => true),
      timeoutMs: START_TIMEOUT_MS,
      logFile,
    });
  } catch (error) {
    await proc.stop(2_000);
    throw error;
  }
  return { url, started: true, stop: () => proc.stop() };
}

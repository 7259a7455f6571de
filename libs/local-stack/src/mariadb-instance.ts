import { createConnection, type Connection } from 'mysql2/promise';
import { rmSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { findFreePort } from './free-port';
import type { LocalService } from './local-service';
import { LocalStackError } from './local-stack-error';
import {
  findExecutable,
  makeTempDir,
  ManagedProcess,
  onProcessExit,
  runToCompletion,
  startProcess,
  waitForReady,
} from './managed-process';
import { errorText, localUrl, parseServiceUrl, redactUrl, withTimeout } from './service-url';

const PROBE_TIMEOUT_MS = 2_000;
const INSTALL_TIMEOUT_MS = 60_000;
const START_TIMEOUT_MS = 30_000;
const START_ATTEMPTS = 3;

interface MariaDbTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

function targetOf(url: URL): MariaDbTarget {
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
  };
}

/**
 * Connects without selecting the database (it may not exist yet), then creates the database if it is
 * missing so the url is ready to use. Rejects with the reason when the server is not usable.
 */
export async function probeMariaDb(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<void> {
  const target = targetOf(parseServiceUrl(url, ['mysql:', 'mariadb:'], 'MariaDB'));
  let connection: Connection | undefined;
  let abandoned = false;
  const work = (async () => {
    connection = await createConnection({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      connectTimeout: timeoutMs,
    });
    // Connected only after we gave up: close it, or it would keep the process alive.
    if (abandoned) connection.destroy();
    await connection.query('SELECT 1');
    if (target.database) await createDatabaseIfMissing(connection, target.database);
  })();
  try {
    await withTimeout(work, timeoutMs, `no answer within ${timeoutMs} ms`);
    await connection?.end();
  } catch (error) {
    abandoned = true;
    work.catch(() => undefined);
    connection?.destroy();
    throw error;
  }
}

async function createDatabaseIfMissing(connection: Connection, database: string): Promise<void> {
  const [rows] = await connection.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
    database,
  ]);
  if (Array.isArray(rows) && rows.length > 0) return;
  await connection.query(
    `CREATE DATABASE IF NOT EXISTS \`${database.replace(/`/g, '``')}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`,
  );
}

/**
 * A MariaDB to use: the one at url if it accepts the url's credentials, else a private mariadbd on a free
 * port with root and an empty password, in a temporary directory, that dies with this process. Either way
 * the url's database exists afterwards.
 */
export async function ensureMariaDb(url: string, options: PrivateMariaDbOptions = {}): Promise<LocalService> {
  const target = parseServiceUrl(url, ['mysql:', 'mariadb:'], 'MariaDB');
  const problem = await probeMariaDb(url).then(
    () => undefined,
    (error: unknown) => errorText(error),
  );
  if (problem === undefined) return { url, started: false, stop: () => Promise.resolve() };

  const server = findExecutable('mariadbd') ?? findExecutable('mysqld');
  const installDb = findExecutable('mariadb-install-db') ?? findExecutable('mysql_install_db');
  if (!server || !installDb) {
    throw new LocalStackError(
      'mariadb_unavailable',
      `MariaDB is not answering at ${redactUrl(url)} and is not installed: apt-get install -y mariadb-server`,
    );
  }
  const reason = `MariaDB at ${redactUrl(url)} is not usable (${problem})`;
  for (let attempt = 1; ; attempt++) {
    try {
      return { ...(await startPrivateMariaDb(server, installDb, target, options)), reason };
    } catch (error) {
      // Another process can take the free port between finding it and binding it.
      if (attempt < START_ATTEMPTS && /already in use/i.test(errorText(error))) continue;
      throw error;
    }
  }
}

export interface PrivateMariaDbOptions {
  /** Extra mariadbd options for a private server (e.g. `--ssl-cert=…`); unused when one already answers. */
  serverArgs?: string[];
}

async function startPrivateMariaDb(
  server: string,
  installDb: string,
  target: URL,
  options: PrivateMariaDbOptions,
): Promise<LocalService> {
  const dir = await makeTempDir('stockwall-mariadb');
  const dataDir = join(dir, 'data');
  const errorLog = join(dir, 'error.log');
  // Both refuse to run as root unless told to.
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];

  const removeDirOnExit = onProcessExit(() => rmSync(dir, { recursive: true, force: true }));
  try {
    await runToCompletion(
      installDb,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        // Root without a password over TCP, as the default local setup expects.
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--skip-name-resolve',
        ...asRoot,
      ],
      join(dir, 'install.log'),
      INSTALL_TIMEOUT_MS,
    );
  } catch (error) {
    removeDirOnExit();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  const port = await findFreePort().catch(async (error: unknown) => {
    removeDirOnExit();
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  const args = [
    '--no-defaults',
    `--datadir=${dataDir}`,
    `--socket=${join(dir, 'mysql.sock')}`,
    `--pid-file=${join(dir, 'mariadbd.pid')}`,
    `--tmpdir=${dir}`,
    `--log-error=${errorLog}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    '--skip-name-resolve',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_general_ci',
    '--innodb-buffer-pool-size=64M',
    // Throwaway data: trade durability for speed, and skip io_uring, which some containers forbid.
    '--innodb-flush-log-at-trx-commit=2',
    '--innodb-doublewrite=0',
    '--innodb-use-native-aio=0',
    ...asRoot,
    ...(options.serverArgs ?? []),
  ];
  const url = localUrl(target, 'mysql:', port, 'root');
  // Each run of the server gets its own process directory; the data directory outlives it, so a
  // stopped server can be started again with the same data (stopServer / startServer).
  let runs = 0;
  const launch = async () => {
    const runDir = join(dir, `run-${runs++}`);
    await mkdir(runDir);
    const proc = startProcess({ command: server, args, dir: runDir, logFile: join(dir, 'mariadbd.log') });
    try {
      await waitForReady({
        what: 'mariadbd',
        process: proc,
        isReady: () => probeMariaDb(url, 1_000).then(() => true),
        timeoutMs: START_TIMEOUT_MS,
        logFile: errorLog,
      });
    } catch (error) {
      await proc.stop(5_000);
      throw error;
    }
    return proc;
  };
  let proc: ManagedProcess | null;
  try {
    proc = await launch();
  } catch (error) {
    removeDirOnExit();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    started: true,
    stop: async () => {
      await proc?.stop();
      proc = null;
      removeDirOnExit();
      await rm(dir, { recursive: true, force: true });
    },
    stopServer: async () => {
      await proc?.stop();
      proc = null;
    },
    startServer: async () => {
      proc ??= await launch();
    },
  };
}

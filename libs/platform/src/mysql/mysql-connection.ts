import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DependencyUnavailableError, redactUrl } from '@stockwall/config';
import { type DatabaseOptions, openDatabase } from '@stockwall/persistence';
import { MYSQL_RECONNECT_CEILING_MS, mysqlReconnectDelayMs, ReconnectLogThrottle } from './reconnect-schedule';

/**
 * How a process treats MySQL at start-up:
 * - `wait`: connect and migrate before going on; an unreachable MySQL stops the start (one line).
 * - `background`: try once, then keep trying with capped backoff while the process runs; work
 *   that needs MySQL fails with a `DependencyUnavailableError('mysql')` until it answers.
 * - `unused`: never connect (an ingest-only worker).
 */
export type MysqlStartup = 'wait' | 'background' | 'unused';

export type MysqlState = 'unused' | 'connecting' | 'ready' | 'closed';

export interface MysqlStatus {
  state: MysqlState;
  /** Connection attempts made so far. */
  attempts: number;
  /** Why the last attempt failed, while not ready. */
  problem: string | null;
}

/**
 * A call on the MySQL handle while there is no connection. Marked `fatal` as mysql2 marks its own
 * errors that leave no usable connection, so code that tells an outage from a bad query by
 * mysql2's fields (the persist jobs' retry policy) sees an outage here too.
 */
export class MysqlNotConnectedError extends DependencyUnavailableError {
  readonly fatal = true;

  constructor(message: string) {
    super('mysql', message);
    this.name = 'MysqlNotConnectedError';
  }
}

export interface MysqlConnectionOptions {
  /** DATABASE_URL, for messages (its password is never shown). */
  url: string;
  /** Creates the database if needed, connects and runs pending migrations (under their lock). */
  connect: () => Promise<DataSource>;
  logger?: Pick<Logger, 'log' | 'warn'>;
  random?: () => number;
  now?: () => number;
}

/**
 * The process's MySQL connection. `dataSource` is one stable handle, handed to repositories and
 * job processors when the process starts, whether or not MySQL answers yet: once connected it is
 * the migrated TypeORM DataSource; before that every call on it fails at once with a
 * `DependencyUnavailableError('mysql')`, so jobs fail and retry and the API answers 503.
 * (A stand-in rather than a DataSource initialised later: `openDatabase` owns the options and
 * the migration lock, and hands back a DataSource only when both are done.)
 */
export class MysqlConnection {
  readonly dataSource: DataSource;
  private current: DataSource | null = null;
  private state: MysqlState;
  private attempts = 0;
  private problem: string | null = null;
  private downSince: number | null = null;
  private nextAttemptAt: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly logThrottle = new ReconnectLogThrottle();
  private readonly logger: Pick<Logger, 'log' | 'warn'>;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(
    private readonly options: MysqlConnectionOptions,
    used = true,
  ) {
    this.state = used ? 'connecting' : 'unused';
    this.logger = options.logger ?? new Logger('MySQL');
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.dataSource = this.stableHandle();
  }

  /** Opens the connection for `database` as `startup` says (see MysqlStartup). */
  static async open(database: DatabaseOptions, startup: MysqlStartup): Promise<MysqlConnection> {
    const connection = new MysqlConnection(
      { url: database.url, connect: () => openDatabase(database) },
      startup !== 'unused',
    );
    switch (startup) {
      case 'unused':
        break;
      case 'wait':
        await connection.connectNow();
        break;
      case 'background':
        await connection.start();
        break;
    }
    return connection;
  }

  status(): MysqlStatus {
    return { state: this.state, attempts: this.attempts, problem: this.state === 'ready' ? null : this.problem };
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  /** Seconds a client should wait before asking again: until the next attempt while reconnecting. */
  retryAfterSeconds(): number {
    if (this.state !== 'connecting' || this.nextAttemptAt === null) return 5;
    const seconds = Math.ceil((this.nextAttemptAt - this.now()) / 1_000);
    return Math.min(Math.max(seconds, 1), Math.ceil(MYSQL_RECONNECT_CEILING_MS / 1_000));
  }

  /** The error every MySQL call fails with while not connected. */
  unavailableError(): MysqlNotConnectedError {
    switch (this.state) {
      case 'unused':
        return new MysqlNotConnectedError('MySQL is not used by this process');
      case 'closed':
        return new MysqlNotConnectedError('The MySQL connection is closed');
      case 'connecting':
      case 'ready':
        return new MysqlNotConnectedError(
          `${this.problem ?? `MySQL at ${redactUrl(this.options.url)} is not connected yet`}; retrying in the background`,
        );
    }
  }

  async close(): Promise<void> {
    this.state = 'closed';
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const current = this.current;
    this.current = null;
    if (current?.isInitialized) await current.destroy();
  }

  /** Connects, or fails with the reason; no retries. */
  async connectNow(): Promise<void> {
    this.attempts++;
    this.becomeReady(await this.options.connect());
  }

  /**
   * Makes the first attempt (so a healthy start is ready at once, migrations included) and
   * resolves after it, connected or not; further attempts follow in the background.
   */
  start(): Promise<void> {
    return this.attempt();
  }

  private async attempt(): Promise<void> {
    this.attempts++;
    let dataSource: DataSource;
    try {
      dataSource = await this.options.connect();
    } catch (error) {
      if (this.state === 'closed') return;
      this.scheduleRetry(error);
      return;
    }
    if (this.state === 'closed') {
      await dataSource.destroy().catch(() => undefined);
      return;
    }
    this.becomeReady(dataSource);
  }

  private becomeReady(dataSource: DataSource): void {
    this.current = dataSource;
    this.state = 'ready';
    this.nextAttemptAt = null;
    if (this.downSince !== null) {
      this.logger.log(
        `MySQL is answering at ${redactUrl(this.options.url)} after ${this.attempts} attempts over ` +
          `${formatDuration(this.now() - this.downSince)}; migrations are up to date and waiting work resumes`,
      );
    }
    this.downSince = null;
    this.problem = null;
    this.logThrottle.reset();
  }

  private scheduleRetry(error: unknown): void {
    const now = this.now();
    this.downSince ??= now;
    this.problem =
      error instanceof DependencyUnavailableError
        ? error.message
        : `MySQL at ${redactUrl(this.options.url)} failed to connect or migrate: ${(error as Error)?.message ?? String(error)}`;
    const delay = mysqlReconnectDelayMs(this.attempts, this.random);
    this.nextAttemptAt = now + delay;
    if (this.logThrottle.shouldLog(this.problem, now)) {
      const progress =
        this.attempts === 1
          ? `retrying in the background every ${MYSQL_RECONNECT_CEILING_MS / 1_000} s at most; ` +
            'persistence and history wait, the live path runs'
          : `still failing after ${this.attempts} attempts over ${formatDuration(now - this.downSince)}; ` +
            `next attempt in ${formatDuration(delay)}`;
      this.logger.warn(`${this.problem} (${progress})`);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.attempt();
    }, delay);
    // Pending reconnects alone do not keep a process (or a test run) alive.
    this.timer.unref();
  }

  private stableHandle(): DataSource {
    // The target only lends its prototype (instanceof DataSource); every read goes to `current`.
    return new Proxy(Object.create(DataSource.prototype) as DataSource, {
      get: (_target, property) => {
        const current = this.current;
        if (current) {
          const value: unknown = Reflect.get(current, property, current);
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
        }
        if (property === 'isInitialized') return false;
        // Symbols and `then` are probes (inspection, `await handle`), not uses.
        if (typeof property === 'symbol' || property === 'then') return undefined;
        const error = this.unavailableError();
        if (ASYNC_METHODS.has(property)) return () => Promise.reject(error);
        if (typeof Reflect.get(DataSource.prototype, property) === 'function') {
          return () => {
            throw error;
          };
        }
        throw error;
      },
    });
  }
}

/** DataSource methods that return a promise: unconnected, they reject rather than throw. */
const ASYNC_METHODS = new Set([
  'query',
  'sql',
  'transaction',
  'initialize',
  'connect',
  'destroy',
  'close',
  'synchronize',
  'dropDatabase',
  'runMigrations',
  'undoLastMigration',
  'showMigrations',
]);

function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.round(ms / 1_000))} s`;
  return `${Math.round(ms / 60_000)} min`;
}

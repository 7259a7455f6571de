import { z } from 'zod';
import { aggregationConfigOf, type AggregationConfig, aggregationEnvironment } from './aggregation-config';
import {
  apiEnvironment,
  apiProblems,
  type AuthConfig,
  authConfigOf,
  type HttpConfig,
  httpConfigOf,
  type LiveConfig,
  liveConfigOf,
} from './api-config';
import { type DigestConfig, digestConfigOf, digestEnvironment } from './digest-config';
import { environmentReader, integer, normalizeEnvironment } from './environment-values';
import { type KinesisConfig, kinesisConfigOf, kinesisEnvironment } from './kinesis-config';
import { type DatabaseConfig, databaseConfigOf, mysqlEnvironment, mysqlProblems } from './mysql-config';
import {
  notificationsConfigOf,
  type NotificationsConfig,
  notificationsEnvironment,
  notificationsProblems,
} from './notifications-config';
import { redisConfigOf, type RedisConfig, redisEnvironment } from './redis-config';
import {
  type HistoryConfig,
  historyConfigOf,
  type QueueConfig,
  queueConfigOf,
  type WorkerConfig,
  workerConfigOf,
  workerEnvironment,
  workerProblems,
} from './worker-config';

// The sections' own names and types stay importable from here.
export { type KinesisEndpoint } from './kinesis-config';
export { type DatabaseTls, type DatabaseTlsMode } from './mysql-config';
export { DEFAULT_METRICS_PORT, WORKER_ROLES, type WorkerRole } from './worker-config';

/**
 * The one place that reads the environment. Everything else receives a typed, validated
 * StockwallConfig; a bad variable fails fast with one line per problem. Each section (redis,
 * mysql, kinesis, worker, aggregation, api, notifications, digests) declares its variables and
 * builds its part in its own file; this one puts them together.
 */
export type LogLevelSetting = 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';

export interface StockwallConfig {
  environment: 'development' | 'production' | 'test';
  /** LOG_LEVEL and LOG_FORMAT: JSON lines in production, text elsewhere (coloured only on a terminal). */
  logging: { level: LogLevelSetting; format: 'json' | 'text' };
  port: number;
  /** How long SIGTERM/SIGINT waits for the process to close before it exits 1 anyway. */
  shutdownTimeoutMs: number;
  redis: RedisConfig;
  database: DatabaseConfig;
  kinesis: KinesisConfig;
  worker: WorkerConfig;
  queue: QueueConfig;
  history: HistoryConfig;
  aggregation: AggregationConfig;
  auth: AuthConfig;
  dashboardDir: string | null;
  http: HttpConfig;
  live: LiveConfig;
  notifications: NotificationsConfig;
  /** Daily and weekly digest e-mails, sent through the notifications' SMTP_URL and ALERT_EMAIL_FROM. */
  digests: DigestConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The process itself: its mode, logging, port and shutdown. */
const processEnvironment = {
  NODE_ENV: z.enum(['development', 'production', 'test']).optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'log', 'debug', 'verbose'], {
      errorMap: () => ({ message: 'must be one of fatal, error, warn, info, debug, verbose' }),
    })
    .optional(),
  LOG_FORMAT: z.enum(['json', 'text'], { errorMap: () => ({ message: 'must be json or text' }) }).optional(),
  PORT: integer(3000, 0, 65535),
  SHUTDOWN_TIMEOUT_MS: integer(25_000, 1_000, 600_000),
};

const environmentSchema = z.object({
  ...processEnvironment,
  ...redisEnvironment,
  ...mysqlEnvironment,
  ...kinesisEnvironment,
  ...workerEnvironment,
  ...aggregationEnvironment,
  ...apiEnvironment,
  ...notificationsEnvironment,
  ...digestEnvironment,
});

/** Variables whose empty value means something: KINESIS_EMULATOR_DIR="" keeps the streams in memory. */
const EMPTY_IS_A_VALUE: ReadonlySet<string> = new Set(['KINESIS_EMULATOR_DIR']);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): StockwallConfig {
  const { raw, problems: fileProblems } = normalizeEnvironment(
    Object.keys(environmentSchema.shape),
    env,
    EMPTY_IS_A_VALUE,
  );
  const parsed = environmentSchema.safeParse(raw);
  // Problems between variables, all of them. Each variable is read on its own, so a check runs
  // whenever the variables it compares are valid, even if others are not.
  const environment = environmentReader(environmentSchema.shape, raw);
  const problems = [
    ...fileProblems,
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)),
    ...apiProblems(environment),
    ...mysqlProblems(environment),
    ...notificationsProblems(environment),
    ...workerProblems(environment),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const values = parsed.data;
  const mode = values.NODE_ENV ?? 'development';
  return {
    environment: mode,
    logging: {
      level: values.LOG_LEVEL === 'info' ? 'log' : (values.LOG_LEVEL ?? 'log'),
      format: values.LOG_FORMAT ?? (mode === 'production' ? 'json' : 'text'),
    },
    port: values.PORT,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
    redis: redisConfigOf(values),
    database: databaseConfigOf(values),
    kinesis: kinesisConfigOf(values),
    worker: workerConfigOf(values, raw),
    queue: queueConfigOf(values),
    history: historyConfigOf(values),
    aggregation: aggregationConfigOf(values),
    auth: authConfigOf(values),
    dashboardDir: values.DASHBOARD_DIR ?? null,
    http: httpConfigOf(values),
    live: liveConfigOf(values),
    notifications: notificationsConfigOf(values),
    digests: digestConfigOf(values),
  };
}

/** Redacts credentials from a URL before it is printed. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return value;
  }
}

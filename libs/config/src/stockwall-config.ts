import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { type ChatChannel, chatChannelsSchema } from './chat-channels';
import { type DigestConfig, digestConfigOf, digestEnvironment } from './digest-config';
import { secretProblem } from './secret-policy';
import { parseTrustProxy, TrustProxySetting } from './trust-proxy';

/**
 * The one place that reads the environment. Everything else receives a typed, validated
 * StockwallConfig; a bad variable fails fast with one line per problem.
 */
export type KinesisEndpoint = { kind: 'embedded' } | { kind: 'url'; url: string } | { kind: 'aws' };

export type LogLevelSetting = 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';

/** MySQL over TLS: `required` encrypts without checking the server, `verify` checks its certificate too. */
export type DatabaseTlsMode = 'off' | 'required' | 'verify';
export interface DatabaseTls {
  mode: DatabaseTlsMode;
  /** PEM bundle of the certificate authorities trusted with `verify` (the RDS bundle on AWS). */
  caFile: string | null;
}

export interface StockwallConfig {
  environment: 'development' | 'production' | 'test';
  /** LOG_LEVEL and LOG_FORMAT: JSON lines in production, text elsewhere (coloured only on a terminal). */
  logging: { level: LogLevelSetting; format: 'json' | 'text' };
  port: number;
  /** How long SIGTERM/SIGINT waits for the process to close before it exits 1 anyway. */
  shutdownTimeoutMs: number;
  redis: { url: string; prefix: string };
  /** `tls` absent: off. */
  database: { url: string; name: string; tls?: DatabaseTls };
  kinesis: {
    streamName: string;
    endpoint: KinesisEndpoint;
    region: string;
    /** Shard count used when Stockwall creates the stream (never on real AWS). */
    shardCount: number;
    /** Port of the embedded emulator started when KINESIS_ENDPOINT is unset. */
    emulatorPort: number;
    /** Where the embedded emulator keeps its streams (null: in memory), so a restart keeps them. */
    emulatorDir: string | null;
  };
  worker: {
    id: string;
    /** What this worker process does: read shards into Redis (`ingest`), run queued jobs (`jobs`), or both. */
    roles: ReadonlySet<WorkerRole>;
    pollIdleMs: number;
    maxRecordsPerCall: number;
    leaseTtlMs: number;
    maxEventBytes: number;
    /** Events whose time is further ahead of their record's arrival are dead-lettered. */
    maxEventTimeAheadMs: number;
    /** Key of the salted hash kept instead of an order's customer_id; null: customer ids are dropped. */
    customerSalt: string | null;
    // Ingest at scale (see docs/ingest.md).
    /** How often leases are renewed and the lease round runs; a killed worker's shards move within ttl + this. */
    leaseRenewMs: number;
    /** Producer-retry duplicates (same event_id) are dropped within this window; 0 turns dedupe off. */
    dedupeWindowSeconds: number;
    /** Per-shard GetRecords call rate (Kinesis allows 5 per second per shard). */
    getRecordsMaxCallsPerSecond: number;
    /** GetRecords responses read ahead per shard while the previous batch is applied. */
    prefetch: number;
    /** Port of the worker's /metrics and /health endpoints; 0 = none. */
    metricsPort: number;
    /** Whether METRICS_PORT was set: an unset port that is taken falls back to a free one, a set one must bind. */
    metricsPortExplicit: boolean;
  };
  queue: { prefix: string; persistConcurrency: number };
  /** Stock snapshots and raw-event retention (see docs/history.md). */
  history: { snapshotIntervalMs: number; retentionDays: number };
  /** Rolling windows, forecasts and reorder points (see docs/aggregation.md). */
  aggregation: {
    allowedLatenessMs: number;
    sellRateDecayMs: number;
    safetyStockZ: number;
    defaultLeadTimeDays: number | null;
    minHistoryDays: number;
  };
  /** See docs/security.md. */
  auth: {
    /** HS256 signing secret; null when unset (the API and the token commands then refuse to start). */
    jwtSecret: string | null;
    /** Longest lifetime of an access token (REST clients, CLI `token`, sign-in). */
    accessTokenMaxTtlSeconds: number;
    /** Longest lifetime of a display token (wall screens). */
    displayTokenMaxTtlDays: number;
    /** Tokens of a company identity provider, checked against its published keys; null: off. */
    jwks: { url: string; issuer: string; audience: string | null } | null;
    /** Console sign-in: session lifetime, and the lockout after repeated failed logins. */
    sessions: {
      ttlSeconds: number;
      maxFailures: number;
      lockoutSeconds: number;
      /** `auto`: the cookie is Secure when the request came over https (directly or through a trusted proxy). */
      cookieSecure: 'auto' | 'always' | 'never';
    };
  };
  dashboardDir: string | null;
  /** HTTP hardening (see docs/deployment.md). */
  http: {
    /** Origins allowed by CORS on REST and /live; empty: same origin only; ['*']: any. */
    corsOrigins: string[];
    rateLimit: { ttlMs: number; limit: number };
    bodyLimitBytes: number;
    /** Which peers may set X-Forwarded-For (TRUST_PROXY); none by default. */
    trustProxy: TrustProxySetting;
  };
  /** The /live gateway's limits (see docs/live-protocol.md). */
  live: {
    maxConnections: number;
    flushIntervalMs: number;
    maxQueuedPackets: number;
    maxQueuedBytes: number;
    retryAfterMs: number;
    /** Subscribes per socket: a burst, then a steady rate (each one reads a snapshot). */
    subscribe: { burst: number; perMinute: number };
  };
  /** Alert notifications sent by the workers; none are sent where nothing is configured. */
  notifications: {
    webhookUrls: string[];
    webhookSecret: string | null;
    smtpUrl: string | null;
    emailTo: string[];
    emailFrom: string;
    /** Slack and Teams channels with their routes and quiet hours (NOTIFY_CHANNELS). */
    chatChannels: ChatChannel[];
    /** Attempts per notification; with the defaults they span a bit more than a day. */
    attempts: number;
    /** The wait after the first failure, doubled after each next one… */
    backoffMs: number;
    /** …up to this. */
    backoffMaxMs: number;
  };
  /** Daily and weekly digest e-mails, sent through the notifications' SMTP_URL and ALERT_EMAIL_FROM. */
  digests: DigestConfig;
}

export const WORKER_ROLES = ['ingest', 'jobs'] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const integer = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value === '' ? String(fallback) : value))
    // Digits only: no `1e6`, `0x10`, `1.0` or a second line, which Number() would read.
    .pipe(z.string().regex(/^-?\d{1,16}$/, 'must be a whole number'))
    .pipe(
      z.coerce
        .number({ invalid_type_error: 'must be a whole number' })
        .int('must be a whole number')
        .min(min, `must be at least ${min}`)
        .max(max, `must be at most ${max}`),
    );

const urlWithProtocol = (protocols: string[], fallback: string) =>
  z
    .string()
    .optional()
    .transform((value) => value || fallback)
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((protocol) => `${protocol}//`).join(' or ')}`,
    );

/** The default worker metrics port (the port Prometheus exporters of applications commonly use). */
export const DEFAULT_METRICS_PORT = 9464;

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'log', 'debug', 'verbose'], {
      errorMap: () => ({ message: 'must be one of fatal, error, warn, info, debug, verbose' }),
    })
    .optional(),
  LOG_FORMAT: z.enum(['json', 'text'], { errorMap: () => ({ message: 'must be json or text' }) }).optional(),
  PORT: integer(3000, 0, 65535),
  SHUTDOWN_TIMEOUT_MS: integer(25_000, 1_000, 600_000),
  REDIS_URL: urlWithProtocol(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:{}.-]{1,64}$/, 'must be 1-64 characters of letters, digits, _ : { } . -')
    .optional(),
  DATABASE_URL: urlWithProtocol(['mysql:', 'mariadb:'], 'mysql://root@127.0.0.1:3306/stockwall'),
  DATABASE_TLS: z
    .enum(['off', 'required', 'verify'], { errorMap: () => ({ message: 'must be off, required or verify' }) })
    .optional(),
  DATABASE_TLS_CA_FILE: z.string().optional(),
  KINESIS_STREAM: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]{1,128}$/, 'must be a valid Kinesis stream name')
    .optional(),
  KINESIS_ENDPOINT: z
    .string()
    .optional()
    .refine((value) => !value || value === 'aws' || /^https?:\/\/.+/.test(value), 'must be "aws" or an http(s) URL'),
  KINESIS_SHARDS: integer(2, 1, 500),
  KINESIS_EMULATOR_PORT: integer(4567, 0, 65535),
  KINESIS_EMULATOR_DIR: z.string().optional(),
  AWS_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region like eu-west-1')
    .optional(),
  WORKER_ROLES: z
    .string()
    .optional()
    .transform((value) => (value ?? WORKER_ROLES.join(',')).split(',').map((role) => role.trim()))
    .pipe(
      z
        .array(
          z.enum(WORKER_ROLES, { errorMap: () => ({ message: `must list roles among ${WORKER_ROLES.join(', ')}` }) }),
        )
        .min(1),
    ),
  WORKER_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 characters of letters, digits, _ . - (it is part of Redis keys)')
    .optional(),
  POLL_IDLE_MS: integer(200, 0, 10_000),
  GET_RECORDS_LIMIT: integer(1000, 1, 10_000),
  LEASE_TTL_MS: integer(3000, 1000, 600_000),
  LEASE_RENEW_MS: integer(0, 0, 200_000),
  DEDUPE_WINDOW_SECONDS: integer(600, 0, 604_800),
  GET_RECORDS_MAX_CALLS_PER_SECOND: integer(5, 1, 5),
  PREFETCH: integer(3, 0, 16),
  METRICS_PORT: integer(DEFAULT_METRICS_PORT, 0, 65535),
  MAX_EVENT_BYTES: integer(262_144, 256, 1_048_576),
  // At least a minute of producer clock skew; at most a year.
  MAX_EVENT_TIME_AHEAD_SECONDS: integer(86_400, 60, 31_536_000),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 characters of letters, digits, _ . - (BullMQ adds the colons)')
    .optional(),
  PERSIST_CONCURRENCY: integer(1, 1, 64),
  SNAPSHOT_INTERVAL_SECONDS: integer(300, 10, 86_400),
  RETENTION_DAYS: integer(90, 1, 36_500),
  ALLOWED_LATENESS_SECONDS: integer(300, 0, 86_400),
  SELL_RATE_DECAY_HOURS: integer(24, 1, 24 * 90),
  SAFETY_STOCK_Z: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value === '' ? '1.65' : value))
    .pipe(z.coerce.number({ invalid_type_error: 'must be a number' }).min(0).max(5)),
  DEFAULT_LEAD_TIME_DAYS: integer(0, 0, 365),
  FORECAST_MIN_HISTORY_DAYS: integer(7, 1, 365),
  CUSTOMER_HASH_SALT: z.string().min(16, 'must be at least 16 characters').optional(),
  JWT_SECRET: z
    .string()
    .optional()
    .superRefine((value, context) => {
      const problem = value === undefined ? null : secretProblem(value);
      if (problem) context.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    }),
  ACCESS_TOKEN_MAX_TTL_SECONDS: integer(86_400, 60, 31 * 86_400),
  DISPLAY_TOKEN_MAX_TTL_DAYS: integer(365, 1, 3_650),
  SESSION_TTL_SECONDS: integer(8 * 3_600, 300, 30 * 86_400),
  LOGIN_MAX_FAILURES: integer(5, 1, 100),
  LOGIN_LOCKOUT_SECONDS: integer(900, 10, 86_400),
  SESSION_COOKIE_SECURE: z
    .enum(['auto', 'always', 'never'], { message: 'must be auto, always or never' })
    .optional()
    .transform((value) => value ?? 'auto'),
  JWKS_URL: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'must be the http(s) URL of a JSON Web Key Set')
    .optional(),
  JWKS_ISSUER: z.string().max(512).optional(),
  JWKS_AUDIENCE: z.string().max(512).optional(),
  TRUST_PROXY: z
    .string()
    .optional()
    .superRefine((value, context) => {
      const parsed = value === undefined ? null : parseTrustProxy(value);
      if (parsed && !parsed.ok) context.addIssue({ code: z.ZodIssueCode.custom, message: parsed.problem });
    }),
  DASHBOARD_DIR: z.string().optional(),
  CORS_ORIGINS: z
    .string()
    .optional()
    .refine(
      (value) =>
        !value || value === '*' || value.split(',').every((origin) => /^https?:\/\/[^\s/]+$/.test(origin.trim())),
      'must be "*" or a comma-separated list of origins like https://wall.example.com',
    ),
  RATE_LIMIT_TTL_SECONDS: integer(60, 1, 86_400),
  RATE_LIMIT_MAX: integer(600, 1, 1_000_000),
  BODY_LIMIT_KB: integer(64, 1, 10_240),
  MAX_CONNECTIONS: integer(10_000, 1, 1_000_000),
  // Below 250 ms a client could get more than 4 deltas per second per channel.
  LIVE_FLUSH_MS: integer(250, 250, 10_000),
  LIVE_MAX_QUEUED_PACKETS: integer(64, 4, 100_000),
  LIVE_MAX_QUEUED_KB: integer(1_024, 16, 1_048_576),
  LIVE_RETRY_AFTER_MS: integer(5_000, 100, 600_000),
  LIVE_SUBSCRIBE_BURST: integer(5, 1, 100),
  LIVE_SUBSCRIBES_PER_MINUTE: integer(12, 1, 600),
  WEBHOOK_URLS: z
    .string()
    .optional()
    .refine(
      (value) => !value || value.split(',').every((url) => /^https?:\/\/\S+$/.test(url.trim())),
      'must be a comma-separated list of http(s) URLs',
    ),
  WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  SMTP_URL: z
    .string()
    .optional()
    .refine((value) => !value || /^smtps?:\/\/.+/.test(value), 'must be an smtp:// or smtps:// URL'),
  ALERT_EMAIL_TO: z
    .string()
    .optional()
    .refine(
      (value) => !value || value.split(',').every((address) => /^[^\s@,]+@[^\s@,]+$/.test(address.trim())),
      'must be a comma-separated list of e-mail addresses',
    ),
  ALERT_EMAIL_FROM: z
    .string()
    .regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address')
    .optional(),
  // 200 attempts from 1 s doubling to 10 min: about 32 h of retries (at least 25 h with jitter).
  NOTIFY_ATTEMPTS: integer(200, 1, 10_000),
  NOTIFY_CHANNELS: chatChannelsSchema,
  NOTIFY_BACKOFF_MS: integer(1_000, 10, 600_000),
  NOTIFY_BACKOFF_MAX_MS: integer(600_000, 10, 86_400_000),
  ...digestEnvironment,
});

type EnvironmentShape = typeof environmentSchema.shape;
type EnvironmentVariable = keyof EnvironmentShape;
type RawEnvironment = Partial<Record<EnvironmentVariable, string>>;

/** Variables whose empty value means something: KINESIS_EMULATOR_DIR="" keeps the streams in memory. */
const EMPTY_IS_A_VALUE: ReadonlySet<EnvironmentVariable> = new Set(['KINESIS_EMULATOR_DIR']);

/**
 * Trims every value and treats a blank one as unset, so `PORT=" "` means the default port rather
 * than port 0 (`Number(" ")`), and a stray newline from a secrets file is not part of a URL.
 * Any variable can come from a file instead (`JWT_SECRET_FILE=/run/secrets/jwt`): Docker and
 * Kubernetes secrets, or a file an AWS secrets agent writes.
 */
function normalizeEnvironment(env: NodeJS.ProcessEnv): { raw: RawEnvironment; problems: string[] } {
  const raw: RawEnvironment = {};
  const problems: string[] = [];
  for (const key of Object.keys(environmentSchema.shape) as EnvironmentVariable[]) {
    const fromFile = readVariableFile(key, env, problems);
    const value = (fromFile ?? env[key])?.trim();
    if (value === undefined || (value === '' && !EMPTY_IS_A_VALUE.has(key))) continue;
    raw[key] = value;
  }
  return { raw, problems };
}

function readVariableFile(key: EnvironmentVariable, env: NodeJS.ProcessEnv, problems: string[]): string | undefined {
  const file = env[`${key}_FILE`]?.trim();
  if (!file) return undefined;
  if (env[key]?.trim()) {
    problems.push(`${key}_FILE: set ${key} or ${key}_FILE, not both`);
    return undefined;
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`${key}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

function databaseNameOf(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, '')) || 'stockwall';
}

/**
 * Problems between variables, all of them. Each variable is read on its own, so a check runs
 * whenever the variables it compares are valid, even if others are not.
 */
function crossFieldProblems(raw: RawEnvironment): string[] {
  const read = <K extends EnvironmentVariable>(key: K): z.output<EnvironmentShape[K]> | undefined => {
    const result = (environmentSchema.shape[key] as z.ZodTypeAny).safeParse(raw[key]);
    return result.success ? (result.data as z.output<EnvironmentShape[K]>) : undefined;
  };
  const isSet = (key: EnvironmentVariable) => raw[key] !== undefined;
  const problems: string[] = [];
  if (isSet('JWKS_URL') && !isSet('JWKS_ISSUER')) {
    problems.push('JWKS_ISSUER: must be set when JWKS_URL is (tokens from any other issuer are refused)');
  }
  const databaseUrl = read('DATABASE_URL');
  if (databaseUrl !== undefined) {
    const databaseName = databaseNameOf(databaseUrl);
    if (!/^[A-Za-z0-9_]{1,64}$/.test(databaseName)) {
      problems.push(`DATABASE_URL: database name "${databaseName}" must be letters, digits or _`);
    }
  }
  if (read('DATABASE_TLS') === 'verify' && !isSet('DATABASE_TLS_CA_FILE')) {
    problems.push('DATABASE_TLS_CA_FILE: must be set when DATABASE_TLS=verify (the CA bundle, e.g. the RDS one)');
  }
  const caFile = raw.DATABASE_TLS_CA_FILE;
  if (caFile !== undefined && !isReadableFile(caFile)) {
    problems.push(`DATABASE_TLS_CA_FILE: cannot read ${caFile}`);
  }
  if (isSet('WEBHOOK_URLS') && !isSet('WEBHOOK_SECRET')) {
    problems.push('WEBHOOK_SECRET: must be set when WEBHOOK_URLS is (webhooks are signed with it)');
  }
  if (isSet('SMTP_URL') && !isSet('ALERT_EMAIL_TO') && !isSet('DIGEST_EMAIL_TO')) {
    problems.push('ALERT_EMAIL_TO: must be set when SMTP_URL is (who receives the alert e-mails)');
  }
  if (isSet('ALERT_EMAIL_TO') && !isSet('SMTP_URL')) {
    problems.push('SMTP_URL: must be set when ALERT_EMAIL_TO is (no alert e-mail is sent without it)');
  }
  if (isSet('DIGEST_EMAIL_TO') && !isSet('SMTP_URL')) {
    problems.push('SMTP_URL: must be set when DIGEST_EMAIL_TO is (the digests are sent through it)');
  }
  const [backoffMs, backoffMaxMs] = [read('NOTIFY_BACKOFF_MS'), read('NOTIFY_BACKOFF_MAX_MS')];
  if (backoffMs !== undefined && backoffMaxMs !== undefined && backoffMaxMs < backoffMs) {
    problems.push('NOTIFY_BACKOFF_MAX_MS: must be at least NOTIFY_BACKOFF_MS (the first wait)');
  }
  const [leaseTtlMs, leaseRenewMs] = [read('LEASE_TTL_MS'), read('LEASE_RENEW_MS')];
  if (leaseTtlMs !== undefined && leaseRenewMs !== undefined && leaseRenewMs !== 0 && leaseRenewMs * 2 > leaseTtlMs) {
    problems.push('LEASE_RENEW_MS: must be at most half of LEASE_TTL_MS, or a lease lapses between renewals');
  }
  return problems;
}

function isReadableFile(file: string): boolean {
  try {
    readFileSync(file);
    return true;
  } catch {
    return false;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): StockwallConfig {
  const { raw, problems: fileProblems } = normalizeEnvironment(env);
  const parsed = environmentSchema.safeParse(raw);
  const problems = [
    ...fileProblems,
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)),
    ...crossFieldProblems(raw),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const values = parsed.data;
  const environment = values.NODE_ENV ?? 'development';
  const databaseName = databaseNameOf(values.DATABASE_URL);
  const endpoint = values.KINESIS_ENDPOINT;
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  return {
    environment,
    logging: {
      level: values.LOG_LEVEL === 'info' ? 'log' : (values.LOG_LEVEL ?? 'log'),
      format: values.LOG_FORMAT ?? (environment === 'production' ? 'json' : 'text'),
    },
    port: values.PORT,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
    redis: { url: values.REDIS_URL, prefix: values.REDIS_PREFIX ?? 'sw:' },
    database: {
      url: values.DATABASE_URL,
      name: databaseName,
      tls: { mode: values.DATABASE_TLS ?? 'off', caFile: values.DATABASE_TLS_CA_FILE ?? null },
    },
    kinesis: {
      streamName: values.KINESIS_STREAM ?? 'inventory-events',
      endpoint: !endpoint
        ? { kind: 'embedded' }
        : endpoint === 'aws'
          ? { kind: 'aws' }
          : { kind: 'url', url: endpoint },
      region: values.AWS_REGION ?? 'us-east-1',
      shardCount: values.KINESIS_SHARDS,
      emulatorPort: values.KINESIS_EMULATOR_PORT,
      emulatorDir:
        values.KINESIS_EMULATOR_DIR === ''
          ? null
          : path.resolve(values.KINESIS_EMULATOR_DIR ?? path.join('.stockwall', 'kinesis')),
    },
    worker: {
      id: values.WORKER_ID ?? `worker-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
      roles: new Set(values.WORKER_ROLES),
      pollIdleMs: values.POLL_IDLE_MS,
      maxRecordsPerCall: values.GET_RECORDS_LIMIT,
      leaseTtlMs: values.LEASE_TTL_MS,
      maxEventBytes: values.MAX_EVENT_BYTES,
      maxEventTimeAheadMs: values.MAX_EVENT_TIME_AHEAD_SECONDS * 1_000,
      customerSalt: values.CUSTOMER_HASH_SALT ?? null,
      leaseRenewMs: values.LEASE_RENEW_MS || Math.max(250, Math.floor(values.LEASE_TTL_MS / 3)),
      dedupeWindowSeconds: values.DEDUPE_WINDOW_SECONDS,
      getRecordsMaxCallsPerSecond: values.GET_RECORDS_MAX_CALLS_PER_SECOND,
      prefetch: values.PREFETCH,
      metricsPort: values.METRICS_PORT,
      metricsPortExplicit: raw.METRICS_PORT !== undefined,
    },
    queue: { prefix: values.QUEUE_PREFIX ?? 'stockwall', persistConcurrency: values.PERSIST_CONCURRENCY },
    history: { snapshotIntervalMs: values.SNAPSHOT_INTERVAL_SECONDS * 1_000, retentionDays: values.RETENTION_DAYS },
    aggregation: {
      allowedLatenessMs: values.ALLOWED_LATENESS_SECONDS * 1000,
      sellRateDecayMs: values.SELL_RATE_DECAY_HOURS * 3_600_000,
      safetyStockZ: values.SAFETY_STOCK_Z,
      // 0 = no default: only SKUs whose supplier has a lead time on record get a computed reorder point.
      defaultLeadTimeDays: values.DEFAULT_LEAD_TIME_DAYS || null,
      minHistoryDays: values.FORECAST_MIN_HISTORY_DAYS,
    },
    auth: {
      jwtSecret: values.JWT_SECRET ?? null,
      accessTokenMaxTtlSeconds: values.ACCESS_TOKEN_MAX_TTL_SECONDS,
      displayTokenMaxTtlDays: values.DISPLAY_TOKEN_MAX_TTL_DAYS,
      jwks:
        values.JWKS_URL && values.JWKS_ISSUER
          ? { url: values.JWKS_URL, issuer: values.JWKS_ISSUER, audience: values.JWKS_AUDIENCE ?? null }
          : null,
      sessions: {
        ttlSeconds: values.SESSION_TTL_SECONDS,
        maxFailures: values.LOGIN_MAX_FAILURES,
        lockoutSeconds: values.LOGIN_LOCKOUT_SECONDS,
        cookieSecure: values.SESSION_COOKIE_SECURE,
      },
    },
    dashboardDir: values.DASHBOARD_DIR ?? null,
    http: {
      corsOrigins: list(values.CORS_ORIGINS),
      rateLimit: { ttlMs: values.RATE_LIMIT_TTL_SECONDS * 1000, limit: values.RATE_LIMIT_MAX },
      bodyLimitBytes: values.BODY_LIMIT_KB * 1024,
      trustProxy: values.TRUST_PROXY === undefined ? { kind: 'none' } : parseTrustProxyOrNone(values.TRUST_PROXY),
    },
    live: {
      maxConnections: values.MAX_CONNECTIONS,
      flushIntervalMs: values.LIVE_FLUSH_MS,
      maxQueuedPackets: values.LIVE_MAX_QUEUED_PACKETS,
      maxQueuedBytes: values.LIVE_MAX_QUEUED_KB * 1024,
      retryAfterMs: values.LIVE_RETRY_AFTER_MS,
      subscribe: { burst: values.LIVE_SUBSCRIBE_BURST, perMinute: values.LIVE_SUBSCRIBES_PER_MINUTE },
    },
    notifications: {
      webhookUrls: list(values.WEBHOOK_URLS),
      webhookSecret: values.WEBHOOK_SECRET ?? null,
      smtpUrl: values.SMTP_URL ?? null,
      emailTo: list(values.ALERT_EMAIL_TO),
      emailFrom: values.ALERT_EMAIL_FROM ?? 'stockwall@localhost',
      chatChannels: values.NOTIFY_CHANNELS,
      attempts: values.NOTIFY_ATTEMPTS,
      backoffMs: values.NOTIFY_BACKOFF_MS,
      backoffMaxMs: values.NOTIFY_BACKOFF_MAX_MS,
    },
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

function parseTrustProxyOrNone(value: string): TrustProxySetting {
  const parsed = parseTrustProxy(value);
  return parsed.ok ? parsed.setting : { kind: 'none' };
}

import { z } from 'zod';
import { commaList, type EnvironmentReader, type EnvironmentValues, integer } from './environment-values';
import { secretProblem } from './secret-policy';
import { parseTrustProxy, TrustProxySetting } from './trust-proxy';

/** See docs/security.md. */
export interface AuthConfig {
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
}

/** HTTP hardening (see docs/deployment.md). */
export interface HttpConfig {
  /** Origins allowed by CORS on REST and /live; empty: same origin only; ['*']: any. */
  corsOrigins: string[];
  rateLimit: { ttlMs: number; limit: number };
  bodyLimitBytes: number;
  /** Which peers may set X-Forwarded-For (TRUST_PROXY); none by default. */
  trustProxy: TrustProxySetting;
}

/** The /live gateway's limits (see docs/live-protocol.md). */
export interface LiveConfig {
  maxConnections: number;
  flushIntervalMs: number;
  maxQueuedPackets: number;
  maxQueuedBytes: number;
  retryAfterMs: number;
  /** Subscribes per socket: a burst, then a steady rate (each one reads a snapshot). */
  subscribe: { burst: number; perMinute: number };
}

/** The API: who may call it (auth), its HTTP limits, the dashboard it serves and the /live gateway. */
export const apiEnvironment = {
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
};

type ApiValues = EnvironmentValues<typeof apiEnvironment>;

export function authConfigOf(values: ApiValues): AuthConfig {
  return {
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
  };
}

export function httpConfigOf(values: ApiValues): HttpConfig {
  return {
    corsOrigins: commaList(values.CORS_ORIGINS),
    rateLimit: { ttlMs: values.RATE_LIMIT_TTL_SECONDS * 1000, limit: values.RATE_LIMIT_MAX },
    bodyLimitBytes: values.BODY_LIMIT_KB * 1024,
    trustProxy: values.TRUST_PROXY === undefined ? { kind: 'none' } : parseTrustProxyOrNone(values.TRUST_PROXY),
  };
}

export function liveConfigOf(values: ApiValues): LiveConfig {
  return {
    maxConnections: values.MAX_CONNECTIONS,
    flushIntervalMs: values.LIVE_FLUSH_MS,
    maxQueuedPackets: values.LIVE_MAX_QUEUED_PACKETS,
    maxQueuedBytes: values.LIVE_MAX_QUEUED_KB * 1024,
    retryAfterMs: values.LIVE_RETRY_AFTER_MS,
    subscribe: { burst: values.LIVE_SUBSCRIBE_BURST, perMinute: values.LIVE_SUBSCRIBES_PER_MINUTE },
  };
}

export function apiProblems(environment: EnvironmentReader<typeof apiEnvironment>): string[] {
  if (environment.isSet('JWKS_URL') && !environment.isSet('JWKS_ISSUER')) {
    return ['JWKS_ISSUER: must be set when JWKS_URL is (tokens from any other issuer are refused)'];
  }
  return [];
}

function parseTrustProxyOrNone(value: string): TrustProxySetting {
  const parsed = parseTrustProxy(value);
  return parsed.ok ? parsed.setting : { kind: 'none' };
}

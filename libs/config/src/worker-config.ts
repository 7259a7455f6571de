import { z } from 'zod';
import { type EnvironmentReader, type EnvironmentValues, integer, type RawEnvironment } from './environment-values';

export const WORKER_ROLES = ['ingest', 'jobs'] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

/** The default worker metrics port (the port Prometheus exporters of applications commonly use). */
export const DEFAULT_METRICS_PORT = 9464;

export interface WorkerConfig {
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
}

export interface QueueConfig {
  prefix: string;
  persistConcurrency: number;
}

/** Stock snapshots and raw-event retention (see docs/history.md). */
export interface HistoryConfig {
  snapshotIntervalMs: number;
  retentionDays: number;
}

/** The workers: shard reading, the job queues and the history they keep. */
export const workerEnvironment = {
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
  CUSTOMER_HASH_SALT: z.string().min(16, 'must be at least 16 characters').optional(),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 characters of letters, digits, _ . - (BullMQ adds the colons)')
    .optional(),
  PERSIST_CONCURRENCY: integer(1, 1, 64),
  SNAPSHOT_INTERVAL_SECONDS: integer(300, 10, 86_400),
  RETENTION_DAYS: integer(90, 1, 36_500),
};

type WorkerValues = EnvironmentValues<typeof workerEnvironment>;

export function workerConfigOf(values: WorkerValues, raw: RawEnvironment): WorkerConfig {
  return {
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
  };
}

export function queueConfigOf(values: WorkerValues): QueueConfig {
  return { prefix: values.QUEUE_PREFIX ?? 'stockwall', persistConcurrency: values.PERSIST_CONCURRENCY };
}

export function historyConfigOf(values: WorkerValues): HistoryConfig {
  return { snapshotIntervalMs: values.SNAPSHOT_INTERVAL_SECONDS * 1_000, retentionDays: values.RETENTION_DAYS };
}

export function workerProblems(environment: EnvironmentReader<typeof workerEnvironment>): string[] {
  const [leaseTtlMs, leaseRenewMs] = [environment.value('LEASE_TTL_MS'), environment.value('LEASE_RENEW_MS')];
  if (leaseTtlMs !== undefined && leaseRenewMs !== undefined && leaseRenewMs !== 0 && leaseRenewMs * 2 > leaseTtlMs) {
    return ['LEASE_RENEW_MS: must be at most half of LEASE_TTL_MS, or a lease lapses between renewals'];
  }
  return [];
}

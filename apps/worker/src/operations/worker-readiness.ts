import type { MysqlState } from '@stockwall/platform';
import type { PendingBatches } from './applied-batch-ledger';

/** A worker that holds leases on shards with records to read and has applied nothing for this long is stalled. */
export const APPLY_STALL_SECONDS = 60;
/** MySQL this far behind Redis makes a worker `degraded` (still ready: the live path is fine). */
export const PERSIST_LAG_DEGRADED_SECONDS = 300;

export interface WorkerState {
  roles: ReadonlySet<'ingest' | 'jobs'>;
  redisAnswers: boolean;
  /** MySQL's state for `jobs` workers (`unused` for ingest-only ones). */
  mysql: MysqlState;
  leasesHeld: number;
  /** Seconds since the last batch this worker applied, or since it started when it has applied none. */
  lastApplyAgeSeconds: number;
  /** Largest MillisBehindLatest of the shards it holds; 0 when caught up or holding none. */
  millisBehindLatest: number;
  persistLag: PendingBatches;
}

export interface Readiness {
  status: 'ok' | 'degraded' | 'down';
  httpStatus: 200 | 503;
  problems: string[];
  checks: Record<string, unknown>;
}

/**
 * Whether a worker is doing its work. Down (503): Redis does not answer, or it holds shards that
 * have records to read and has applied nothing for APPLY_STALL_SECONDS. Degraded (200): a `jobs`
 * worker without MySQL, or MySQL more than PERSIST_LAG_DEGRADED_SECONDS behind Redis — the live
 * path still runs, and restarting the worker would not help.
 */
export function workerReadiness(state: WorkerState): Readiness {
  const down: string[] = [];
  const degraded: string[] = [];
  if (!state.redisAnswers) down.push('Redis is not answering');
  const ingesting = state.roles.has('ingest');
  if (
    ingesting &&
    state.leasesHeld > 0 &&
    state.millisBehindLatest > 0 &&
    state.lastApplyAgeSeconds > APPLY_STALL_SECONDS
  ) {
    down.push(
      `holds ${state.leasesHeld} shard(s) ${Math.round(state.millisBehindLatest / 1000)} s behind and has applied nothing for ${Math.round(state.lastApplyAgeSeconds)} s`,
    );
  }
  if (state.roles.has('jobs') && state.mysql !== 'ready') degraded.push(`MySQL is ${state.mysql}`);
  if (state.persistLag.oldestSeconds > PERSIST_LAG_DEGRADED_SECONDS) {
    degraded.push(`MySQL is ${Math.round(state.persistLag.oldestSeconds)} s behind Redis`);
  }
  const status = down.length > 0 ? 'down' : degraded.length > 0 ? 'degraded' : 'ok';
  return {
    status,
    httpStatus: status === 'down' ? 503 : 200,
    problems: [...down, ...degraded],
    checks: {
      roles: [...state.roles],
      redis: state.redisAnswers ? 'up' : 'down',
      mysql: state.mysql,
      ...(ingesting
        ? {
            leasesHeld: state.leasesHeld,
            lastApplyAgeSeconds: round(state.lastApplyAgeSeconds),
            millisBehindLatest: state.millisBehindLatest,
          }
        : {}),
      persistLag: {
        events: state.persistLag.events,
        batches: state.persistLag.batches,
        seconds: round(state.persistLag.oldestSeconds),
      },
    },
  };
}

function round(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}

import {
  FaultStep,
  injectPoison,
  killApi,
  killWorker,
  mergeShards,
  restartRedis,
  splitShard,
  stopMariaDb,
  throttleKinesis,
} from './chaos-faults';

export interface ChaosOptions {
  events: number;
  shards: number;
  workers: number;
  apis: number;
  /** Events per second. */
  rate: number;
  seed: number;
  /** The short scenario of `npm test` rather than the full one. */
  quick: boolean;
  /** False: the same run without faults, a baseline for the end checks. */
  faults?: boolean;
  /** Live (and persist) lag under which the pipeline counts as caught up after a fault. */
  lagOkMs: number;
  /** Longest wait for one fault's recovery. */
  recoveryTimeoutMs: number;
  /** Longest wait, after the last event, for every record to be applied and persisted. */
  quiesceTimeoutMs: number;
  datasetsDir: string;
}

export const FULL_DEFAULTS = { events: 200_000, shards: 8, workers: 3, apis: 2, rate: 400 };
export const QUICK_DEFAULTS = { events: 20_000, shards: 4, workers: 3, apis: 2, rate: 250 };

/**
 * The ordered faults, each at a share of the producer's planned duration (events / rate), so a
 * shorter or slower run keeps the same shape. The full scenario: two SIGKILLs and a SIGTERM of
 * workers, an API SIGKILL, MariaDB down 60 s, a Redis restart, a split and a merge, throttling, and
 * two rounds of poison and oversize records. The quick one (npm test): one worker SIGKILL, a short
 * throttle, a split, MariaDB down 10 s, a Redis restart and one poison round.
 */
export function chaosScenario(options: ChaosOptions): FaultStep[] {
  const duration = options.events / options.rate;
  const at = (share: number) => Math.round(duration * share * 10) / 10;
  const workers = options.workers;
  if (options.faults === false) return [];
  if (options.quick) {
    return [
      { at: at(0.05), ...throttleKinesis(5) },
      { at: at(0.15), ...killWorker(0, 'SIGKILL') },
      { at: at(0.25), ...injectPoison(1) },
      { at: at(0.35), ...splitShard() },
      { at: at(0.45), ...stopMariaDb(10) },
      { at: at(0.7), ...restartRedis() },
    ];
  }
  return [
    { at: at(0.05), ...throttleKinesis(Math.max(10, Math.round(duration * 0.06))) },
    { at: at(0.12), ...killWorker(0, 'SIGKILL') },
    { at: at(0.18), ...injectPoison(1) },
    { at: at(0.24), ...splitShard() },
    { at: at(0.3), ...stopMariaDb(60) },
    { at: at(0.4), ...killApi(0) },
    { at: at(0.48), ...killWorker(1 % workers, 'SIGKILL') },
    { at: at(0.66), ...restartRedis() },
    { at: at(0.74), ...mergeShards() },
    { at: at(0.82), ...killWorker(2 % workers, 'SIGTERM') },
    { at: at(0.88), ...injectPoison(2) },
  ];
}

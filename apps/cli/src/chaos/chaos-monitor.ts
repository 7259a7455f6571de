import type { ChaosSystem } from './chaos-system';
import type { Lag, ShardProgress } from './shard-progress';

export interface Sample {
  at: number;
  /** Null while Redis does not answer. */
  lag: Lag | null;
  version: number | null;
}

interface Watcher {
  since: number;
  check: (sample: Sample) => Promise<boolean> | boolean;
  resolve: (at: number | null) => void;
  deadline: number;
}

const SAMPLE_MS = 500;

/**
 * Samples the pipeline twice a second (lag in Redis and MySQL, unleased shards, the live-state
 * version) and tells each fault when its recovery condition first holds.
 */
export class ChaosMonitor {
  latest: Sample = { at: 0, lag: null, version: null };
  maxLiveLagMs = 0;
  maxPersistLagMs = 0;
  private readonly watchers = new Set<Watcher>();
  private timer: NodeJS.Timeout | null = null;
  private sampling = false;

  constructor(
    private readonly system: ChaosSystem,
    private readonly progress: ShardProgress,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sample(), SAMPLE_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const watcher of this.watchers) watcher.resolve(null);
    this.watchers.clear();
  }

  /**
   * Resolves with the time the condition first held (checked on each sample from now on), or null if
   * it did not within timeoutMs.
   */
  until(check: Watcher['check'], timeoutMs: number): Promise<number | null> {
    return new Promise((resolve) => {
      this.watchers.add({ since: Date.now(), check, resolve, deadline: Date.now() + timeoutMs });
    });
  }

  private async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      const at = Date.now();
      let lag: Lag | null = null;
      let version: number | null = null;
      try {
        const mysql = await this.system.mysqlConnection();
        lag = await this.progress.measure(this.system.monitor, mysql, this.system.liveWorkerIds());
        if (mysql && lag.persistMs === null) this.system.dropMysql();
        version = await this.system.version();
      } catch {
        lag = null;
      }
      this.latest = { at, lag, version };
      if (lag) {
        this.maxLiveLagMs = Math.max(this.maxLiveLagMs, lag.liveMs);
        this.maxPersistLagMs = Math.max(this.maxPersistLagMs, lag.persistMs ?? 0);
      }
      for (const watcher of [...this.watchers]) {
        let done = false;
        try {
          done = await watcher.check(this.latest);
        } catch {
          done = false;
        }
        if (done) {
          this.watchers.delete(watcher);
          watcher.resolve(at);
        } else if (Date.now() > watcher.deadline) {
          this.watchers.delete(watcher);
          watcher.resolve(null);
        }
      }
    } finally {
      this.sampling = false;
    }
  }
}

import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { Gauge, Registry } from 'prom-client';
import { PERSIST_QUEUE, QUEUE_NAMES } from '@stockwall/contracts';
import { AppliedBatchLedger, PendingBatches } from './applied-batch-ledger';

/** Every queue of the job map. */
export const WATCHED_QUEUES = QUEUE_NAMES;
const COUNTED_STATES = ['wait', 'prioritized', 'delayed', 'active', 'failed'] as const;
/** States of a job that has not run to completion yet. */
const PENDING_STATES = ['wait', 'prioritized', 'delayed', 'active'] as const;
/** Oldest-job age looks at this many jobs of each pending state (delayed jobs are ordered by run time, not age). */
const AGE_SAMPLE = 200;

export interface QueueFigures {
  depth: Record<(typeof COUNTED_STATES)[number], number>;
  oldestPendingSeconds: number;
}

/**
 * Prometheus figures read from the queues when scraped: jobs per queue and state, the age of each
 * queue's oldest pending job, and how far MySQL is behind Redis (events and seconds of applied
 * batches whose persist job has not completed).
 */
export class QueueMetrics {
  private readonly queues: Map<string, Queue>;
  private lastPersistLag: PendingBatches = { events: 0, batches: 0, oldestSeconds: 0 };

  constructor(
    private readonly connection: Redis,
    prefix: string,
    private readonly ledger: AppliedBatchLedger,
    registry: Registry,
    private readonly now: () => number = Date.now,
  ) {
    this.queues = new Map(WATCHED_QUEUES.map((name) => [name, new Queue(name, { connection, prefix })]));
    const registers = [registry];
    const read = () => this.read();
    let figures: Promise<Map<string, QueueFigures>> | null = null;
    // One read of the queues per scrape, shared by the gauges that report it.
    const shared = () => {
      figures ??= read().finally(() => setTimeout(() => (figures = null), 1_000).unref());
      return figures;
    };
    new Gauge({
      name: 'stockwall_queue_jobs',
      help: 'BullMQ jobs by queue and state (wait, prioritized, delayed, active, failed)',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        for (const [queue, { depth }] of await shared()) {
          for (const [state, count] of Object.entries(depth)) this.set({ queue, state }, count);
        }
      },
    });
    new Gauge({
      name: 'stockwall_queue_oldest_job_age_seconds',
      help: "Age of each queue's oldest job not yet completed (waiting, delayed or active); 0 when none",
      labelNames: ['queue'],
      registers,
      async collect() {
        for (const [queue, { oldestPendingSeconds }] of await shared()) this.set({ queue }, oldestPendingSeconds);
      },
    });
    const lag = () => shared().then(() => this.lastPersistLag);
    new Gauge({
      name: 'stockwall_persist_lag_events',
      help: 'Events applied to Redis whose persist job has not completed: how far MySQL is behind',
      registers,
      async collect() {
        this.set((await lag()).events);
      },
    });
    new Gauge({
      name: 'stockwall_persist_lag_seconds',
      help: 'How long ago the oldest batch applied to Redis but not yet persisted to MySQL was applied; 0 when none',
      registers,
      async collect() {
        this.set((await lag()).oldestSeconds);
      },
    });
  }

  persistLag(): PendingBatches {
    return this.lastPersistLag;
  }

  async read(): Promise<Map<string, QueueFigures>> {
    const figures = new Map<string, QueueFigures>();
    for (const [name, queue] of this.queues) {
      const readAt = this.now();
      const counts = await queue.getJobCounts(...COUNTED_STATES);
      const depth = Object.fromEntries(
        COUNTED_STATES.map((state) => [state, counts[state] ?? 0]),
      ) as QueueFigures['depth'];
      const pendingIds = await this.pendingJobIds(queue, depth);
      figures.set(name, { depth, oldestPendingSeconds: await this.oldestAgeSeconds(queue, pendingIds) });
      if (name === PERSIST_QUEUE) this.lastPersistLag = await this.ledger.pending(new Set(pendingIds), readAt);
    }
    return figures;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  private async pendingJobIds(queue: Queue, depth: QueueFigures['depth']): Promise<string[]> {
    const pending = PENDING_STATES.reduce((sum, state) => sum + depth[state], 0);
    if (pending === 0) return [];
    return queue.getRanges([...PENDING_STATES], 0, -1, true);
  }

  private async oldestAgeSeconds(queue: Queue, pendingIds: string[]): Promise<number> {
    if (pendingIds.length === 0) return 0;
    const sample =
      pendingIds.length <= AGE_SAMPLE * 2
        ? pendingIds
        : [...pendingIds.slice(0, AGE_SAMPLE), ...pendingIds.slice(-AGE_SAMPLE)];
    const pipeline = this.connection.pipeline();
    for (const id of sample) pipeline.hget(queue.toKey(id), 'timestamp');
    const stamps = ((await pipeline.exec()) ?? [])
      .map(([, value]) => Number(value))
      .filter((stamp) => Number.isFinite(stamp) && stamp > 0);
    return stamps.length === 0 ? 0 : Math.max(0, (this.now() - Math.min(...stamps)) / 1_000);
  }
}

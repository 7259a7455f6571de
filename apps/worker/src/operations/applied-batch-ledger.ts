import type Redis from 'ioredis';
import { RedisKeys } from '@stockwall/contracts';

export interface PendingBatches {
  /** Events of applied batches whose persist job has not completed. */
  events: number;
  /** How long ago the oldest of them was applied, in seconds (0 when none). */
  oldestSeconds: number;
  batches: number;
}

/**
 * What MySQL has not caught up with: each applied batch is noted (its persist job id, event count
 * and apply time); a note counts while its persist job is still in the queue. Notes of jobs gone
 * from the queue are pruned, but only those written before the queue was read, so a batch applied
 * meanwhile is never dropped uncounted.
 */
export class AppliedBatchLedger {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = new RedisKeys(prefix).appliedBatches();
  }

  async noteApplied(persistJobId: string, events: number): Promise<void> {
    await this.redis.hset(this.key, persistJobId, `${events}:${this.now()}`);
  }

  /** `pendingJobIds`: the persist queue's jobs not yet completed, read at `readAt`. */
  async pending(pendingJobIds: ReadonlySet<string>, readAt: number): Promise<PendingBatches> {
    const notes = await this.redis.hgetall(this.key);
    const stale: string[] = [];
    let events = 0;
    let batches = 0;
    let oldestAt = Infinity;
    for (const [jobId, note] of Object.entries(notes)) {
      const [count, appliedAt] = note.split(':').map(Number);
      if (pendingJobIds.has(jobId)) {
        events += count;
        batches += 1;
        oldestAt = Math.min(oldestAt, appliedAt);
      } else if (appliedAt < readAt) {
        stale.push(jobId);
      }
    }
    if (stale.length > 0) await this.redis.hdel(this.key, ...stale);
    const oldestSeconds = oldestAt === Infinity ? 0 : Math.max(0, (this.now() - oldestAt) / 1_000);
    return { events, batches, oldestSeconds };
  }
}

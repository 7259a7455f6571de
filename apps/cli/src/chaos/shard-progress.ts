import type { Redis } from 'ioredis';
import type { Connection } from 'mysql2/promise';
import { RedisKeys } from '@stockwall/contracts';

interface Put {
  sequence: bigint;
  at: number;
}

export interface Lag {
  /** Age of the oldest record put and not yet applied in Redis, over all shards (0: caught up). */
  liveMs: number;
  /** The same for MySQL (persisted positions); null when MySQL could not be read. */
  persistMs: number | null;
  /** Shards with records put and no live worker lease. */
  unleased: string[];
  /** The shard furthest behind in Redis, when one is behind. */
  slowestShard: string | null;
  /** The shard furthest behind in MySQL, when one is behind. */
  slowestPersistShard: string | null;
}

/**
 * What the producer has put on each shard (sequence numbers and when), against how far each shard
 * is applied in Redis (checkpoints) and persisted in MySQL (shard positions): the lag the run's
 * recovery times are measured with.
 */
export class ShardProgress {
  private readonly puts = new Map<string, Put[]>();
  private readonly keys: RedisKeys;

  constructor(
    private readonly streamName: string,
    prefix: string,
  ) {
    this.keys = new RedisKeys(prefix);
  }

  recordPut(shardId: string, sequence: string, at: number): void {
    let list = this.puts.get(shardId);
    if (!list) this.puts.set(shardId, (list = []));
    const value = BigInt(sequence);
    const last = list[list.length - 1];
    if (last && last.sequence >= value) return;
    list.push({ sequence: value, at });
  }

  shardsWithRecords(): string[] {
    return [...this.puts.keys()];
  }

  /** The lag now; drops the puts both stores have passed. */
  async measure(redis: Redis, mysql: Connection | null, liveWorkers: Set<string>): Promise<Lag> {
    const now = Date.now();
    const shards = [...this.puts.keys()];
    const pipeline = redis.pipeline();
    for (const shard of shards) {
      pipeline.hmget(this.keys.checkpoint(this.streamName, shard), 'seq');
      pipeline.hget(this.keys.lease(this.streamName, shard), 'owner');
    }
    const results = (await pipeline.exec()) ?? [];
    let persisted: Map<string, bigint> | null = null;
    if (mysql) {
      try {
        const [rows] = await mysql.query(
          'SELECT shard_id, sequence_number FROM shard_positions WHERE stream_name = ? AND sequence_number IS NOT NULL',
          [this.streamName],
        );
        persisted = new Map(
          (rows as { shard_id: string; sequence_number: string }[]).map((row) => [
            row.shard_id,
            BigInt(row.sequence_number),
          ]),
        );
      } catch {
        persisted = null;
      }
    }
    let liveMs = 0;
    let slowestShard: string | null = null;
    let slowestPersistShard: string | null = null;
    let persistMs: number | null = persisted ? 0 : null;
    const unleased: string[] = [];
    shards.forEach((shard, index) => {
      const [seq] = (results[index * 2]?.[1] as (string | null)[] | undefined) ?? [null];
      const owner = results[index * 2 + 1]?.[1] as string | null | undefined;
      const list = this.puts.get(shard)!;
      const applied = seq ? BigInt(seq) : -1n;
      const firstUnapplied = list.find((put) => put.sequence > applied);
      if (firstUnapplied) {
        if (now - firstUnapplied.at > liveMs) {
          liveMs = now - firstUnapplied.at;
          slowestShard = shard;
        }
        if (!owner || !liveWorkers.has(owner)) unleased.push(shard);
      }
      if (persisted) {
        const stored = persisted.get(shard) ?? -1n;
        const firstUnstored = list.find((put) => put.sequence > stored);
        if (firstUnstored && now - firstUnstored.at > (persistMs ?? 0)) {
          persistMs = now - firstUnstored.at;
          slowestPersistShard = shard;
        }
        const passed = Math.min(indexOrEnd(list, applied), indexOrEnd(list, stored));
        if (passed > 0) list.splice(0, passed);
      }
    });
    return { liveMs, persistMs, unleased, slowestShard, slowestPersistShard };
  }
}

/** Index of the first put after `position`, or the list's length when all are at or before it. */
function indexOrEnd(list: Put[], position: bigint): number {
  const index = list.findIndex((put) => put.sequence > position);
  return index === -1 ? list.length : index;
}

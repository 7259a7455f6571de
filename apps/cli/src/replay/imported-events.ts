import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { RedisKeys } from '@stockwall/contracts';

/** Ids per MySQL query. */
const QUERY_CHUNK = 5_000;
/** Ids per SMISMEMBER call. */
const MEMBER_CHUNK = 1_000;

/**
 * Which of `eventIds` MySQL has stored: `event_identities` keeps every stored event's id for ever
 * (the retention prune deletes events, never their ids), so this answers for imports of any age.
 */
export async function storedEventIds(dataSource: DataSource, eventIds: readonly string[]): Promise<Set<string>> {
  const stored = new Set<string>();
  for (let start = 0; start < eventIds.length; start += QUERY_CHUNK) {
    const chunk = eventIds.slice(start, start + QUERY_CHUNK);
    const rows = await dataSource.query<{ event_id: string }[]>(
      'SELECT event_id FROM event_identities WHERE event_id IN (?)',
      [chunk],
    );
    for (const row of rows) stored.add(row.event_id);
  }
  return stored;
}

/**
 * Which of `eventIds` the live apply recorded in its producer-retry dedupe sets, i.e. applied to
 * Redis within the dedupe window, possibly not yet stored in MySQL (a re-import right after an
 * import). The sets are `<prefix>dedupe:<bucket>`, bucket = floor(ms / (window / 4)), as the apply
 * script writes them; one bucket more on each side covers a clock a little off the workers'.
 */
export async function recentlyAppliedEventIds(
  redis: Redis,
  prefix: string,
  windowMs: number,
  eventIds: readonly string[],
  now = Date.now(),
): Promise<Set<string>> {
  const applied = new Set<string>();
  if (windowMs <= 0 || eventIds.length === 0) return applied;
  const bucketMs = Math.ceil(windowMs / 4);
  const current = Math.floor(now / bucketMs);
  const pipeline = redis.pipeline();
  const asked: string[][] = [];
  for (let bucket = current - 5; bucket <= current + 1; bucket++) {
    for (let start = 0; start < eventIds.length; start += MEMBER_CHUNK) {
      const chunk = eventIds.slice(start, start + MEMBER_CHUNK);
      pipeline.smismember(`${new RedisKeys(prefix).dedupePrefix()}${bucket}`, ...chunk);
      asked.push(chunk);
    }
  }
  const results = (await pipeline.exec()) ?? [];
  results.forEach(([error, found], index) => {
    if (error) throw error;
    (found as number[]).forEach((member, position) => {
      if (member === 1) applied.add(asked[index][position]);
    });
  });
  return applied;
}

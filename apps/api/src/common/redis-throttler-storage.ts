import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * One fixed window per key: INCR, PEXPIRE on the first hit, and a separate block key set when
 * the count passes the limit. One script, so concurrent requests on any number of API
 * processes count against the same window. Returns hits, window ms left, blocked (0/1), block ms left.
 */
export const THROTTLE_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
local blockTtl = redis.call('PTTL', KEYS[2])
if blockTtl > 0 then
  return {hits, ttl, 1, blockTtl}
end
if hits > tonumber(ARGV[2]) then
  local blockMs = tonumber(ARGV[3])
  if blockMs <= 0 then blockMs = ttl end
  redis.call('SET', KEYS[2], '1', 'PX', blockMs)
  return {hits, ttl, 1, blockMs}
end
return {hits, ttl, 0, 0}
`;

export type ThrottleScriptReply = [hits: number, ttlMs: number, blocked: number, blockTtlMs: number];

/** The script's reply as the guard expects it: times in whole seconds, rounded up (as the in-memory storage does). */
export function toStorageRecord([hits, ttlMs, blocked, blockTtlMs]: ThrottleScriptReply): ThrottlerStorageRecord {
  return {
    totalHits: hits,
    timeToExpire: Math.max(0, Math.ceil(ttlMs / 1000)),
    isBlocked: blocked === 1,
    timeToBlockExpire: Math.max(0, Math.ceil(blockTtlMs / 1000)),
  };
}

/** Redis keys of one throttled client and throttler (the guard's key is already a hash of both). */
export function throttleKeys(prefix: string, key: string, throttlerName: string): [hits: string, block: string] {
  const base = `${prefix}throttle:${throttlerName}:${key}`;
  return [`${base}:hits`, `${base}:block`];
}

/** A record that lets the request through, for when Redis cannot be asked. */
export const UNCOUNTED: ThrottlerStorageRecord = {
  totalHits: 0,
  timeToExpire: 0,
  isBlocked: false,
  timeToBlockExpire: 0,
};

/**
 * Throttler storage shared by every API process through Redis, so N processes enforce one
 * limit per client. When Redis does not answer the request is let through: REST reads need
 * Redis anyway, and a limiter should not turn a Redis blip into refused writes.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  private lastWarnedAt = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    try {
      const reply = (await this.redis.eval(
        THROTTLE_SCRIPT,
        2,
        ...throttleKeys(this.prefix, key, throttlerName),
        Math.max(1, Math.round(ttl)),
        limit,
        Math.round(blockDuration),
      )) as ThrottleScriptReply;
      return toStorageRecord(reply);
    } catch (error) {
      // One line per minute at most: a Redis outage would otherwise log once per request.
      if (Date.now() - this.lastWarnedAt > 60_000) {
        this.lastWarnedAt = Date.now();
        this.logger.warn(`Rate limit not counted, Redis failed: ${(error as Error).message}`);
      }
      return UNCOUNTED;
    }
  }
}

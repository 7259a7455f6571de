import type Redis from 'ioredis';

/** The deny-list of revoked token ids: a sorted set scored by when each token would have expired. */
export function revokedTokensKey(prefix: string): string {
  return `${prefix}revoked-tokens`;
}

/** Adds `id` to the deny-list until `expiresAtMs` and drops the entries of tokens expired since. */
export async function revokeTokenId(redis: Redis, prefix: string, id: string, expiresAtMs: number): Promise<void> {
  const key = revokedTokensKey(prefix);
  await redis.multi().zadd(key, expiresAtMs, id).zremrangebyscore(key, '-inf', Date.now()).exec();
}

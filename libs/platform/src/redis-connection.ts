import Redis, { RedisOptions } from 'ioredis';
import { DependencyUnavailableError, redactUrl } from '@stockwall/config';

/** Opens a Redis connection and proves it answers, or fails with one clear line. */
export async function connectRedis(url: string, options: RedisOptions = {}): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 3_000, ...options });
  let firstError: Error | null = null;
  // Reconnects are automatic; failures after start-up surface on the commands that hit them.
  redis.on('error', (error: Error) => (firstError ??= error));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    const reason = (firstError as { code?: string } | null)?.code ?? (firstError ?? (error as Error)).message;
    throw new DependencyUnavailableError(
      'redis',
      `Redis is not answering at ${redactUrl(url)} (${reason}): start redis-server or set REDIS_URL`,
    );
  }
  return redis;
}

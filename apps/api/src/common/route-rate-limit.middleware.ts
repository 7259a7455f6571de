import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { RedisThrottlerStorage } from './redis-throttler-storage';

/** Paths the REST guard limits itself, or that must never be limited (probes and scrapes). */
const COUNTED_ELSEWHERE = /^\/(api\/v1\/|health\/|metrics$)/;

/**
 * The rate limit of what Nest's guard never sees: the queue board, the dashboard's static files
 * and the OpenAPI page, per client address (TRUST_PROXY decides what that is), in the same Redis
 * windows as REST so every API process counts together. Over the limit: a JSON 429.
 */
export function routeRateLimit(storage: RedisThrottlerStorage, limits: { ttlMs: number; limit: number }) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (COUNTED_ELSEWHERE.test(request.path)) return next();
    const key = createHash('sha256')
      .update(request.ip ?? request.socket.remoteAddress ?? '')
      .digest('hex');
    storage.increment(key, limits.ttlMs, limits.limit, 0, 'routes').then(
      (record) => {
        if (!record.isBlocked && record.totalHits <= limits.limit) return next();
        const retryAfter = Math.max(1, record.timeToBlockExpire || record.timeToExpire);
        response.setHeader('Retry-After', String(retryAfter));
        response.status(429).json({ statusCode: 429, error: 'Too Many Requests', message: 'Too many requests' });
      },
      (error: unknown) => next(error),
    );
  };
}

import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { requestIdFrom, runWithRequestId } from '@stockwall/platform';

const logger = new Logger('Http');

/**
 * Gives every request an id (the caller's `X-Request-Id` / `X-Correlation-Id` when it is safe,
 * a new UUID otherwise), answers it in `X-Request-Id`, and runs the rest of the request under it
 * so every log line written while handling it carries it. Each request ends with one `debug`
 * line (LOG_LEVEL=debug): method, path, status and duration.
 */
export function requestIdMiddleware(request: Request, response: Response, next: NextFunction): void {
  const requestId = requestIdFrom(request.headers);
  const startedAt = process.hrtime.bigint();
  response.setHeader('X-Request-Id', requestId);
  response.once('finish', () => {
    const milliseconds = Number(process.hrtime.bigint() - startedAt) / 1e6;
    runWithRequestId(requestId, () =>
      logger.debug(`${request.method} ${request.path} ${response.statusCode} ${milliseconds.toFixed(1)} ms`),
    );
  });
  runWithRequestId(requestId, next);
}

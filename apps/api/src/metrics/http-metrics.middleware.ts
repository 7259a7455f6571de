import type { NextFunction, Request, Response } from 'express';
import { Histogram, Registry } from 'prom-client';

/**
 * `stockwall_api_http_request_duration_seconds` by method, route pattern (`/api/v1/stock/:sku`,
 * never the raw path, so the series stay few) and status code. Requests that matched no route
 * (static files, 404s) share the route label `other`.
 */
export function httpMetricsMiddleware(registry: Registry) {
  const duration = new Histogram({
    name: 'stockwall_api_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (request: Request, response: Response, next: NextFunction): void => {
    const stop = duration.startTimer();
    response.once('finish', () => {
      const routePath = (request.route as { path?: unknown } | undefined)?.path;
      const route = typeof routePath === 'string' ? `${request.baseUrl}${routePath}` : 'other';
      stop({ method: request.method, route, status: String(response.statusCode) });
    });
    next();
  };
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import type { Registry } from 'prom-client';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** A health answer: the HTTP status and a JSON body. */
export interface HealthAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface MetricsServerOptions {
  /** `/health/live` and `/health/ready`, served beside `/metrics` when given. */
  health?: { live(): Promise<HealthAnswer>; ready(): Promise<HealthAnswer> };
  /** When the port is taken, serve on a free one instead of failing (the port was a default, not chosen). */
  fallbackToFreePort?: boolean;
}

/**
 * `/metrics` (and `/health/live`, `/health/ready`) for processes without an HTTP server of their
 * own (workers).
 */
export async function startMetricsServer(
  registry: Registry,
  port: number,
  options: MetricsServerOptions = {},
): Promise<MetricsServer> {
  const logger = new Logger('Metrics');
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    const answer = (work: Promise<{ status: number; type: string; body: string }>) =>
      work
        .then(({ status, type, body }) => response.writeHead(status, { 'content-type': type }).end(body))
        .catch((error: Error) => response.writeHead(500).end(error.message));
    const json = (check: () => Promise<HealthAnswer>) =>
      answer(check().then(({ status, body }) => ({ status, type: 'application/json', body: JSON.stringify(body) })));
    if (path === '/metrics') {
      void answer(registry.metrics().then((body) => ({ status: 200, type: registry.contentType, body })));
    } else if (path === '/health/live' && options.health) {
      void json(() => options.health!.live());
    } else if (path === '/health/ready' && options.health) {
      void json(() => options.health!.ready());
    } else {
      response.writeHead(404).end();
    }
  });
  try {
    await listen(server, port);
  } catch (error) {
    if (!options.fallbackToFreePort || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    logger.warn(`Port ${port} is taken; serving /metrics on a free port instead (set METRICS_PORT to choose one)`);
    await listen(server, 0);
  }
  const bound = (server.address() as AddressInfo).port;
  logger.log(`Serving /metrics${options.health ? ', /health/live and /health/ready' : ''} on port ${bound}`);
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

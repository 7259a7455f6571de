import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import type { Registry } from 'prom-client';
import { expressTrustProxy } from '@stockwall/config';
import { type Infrastructure, levelsFrom } from '@stockwall/platform';
import { QUEUE_BOARD_PATH, QueueBoardService } from './admin/queue-board.service';
import { AppModule } from './app.module';
import { RedisThrottlerStorage } from './common/redis-throttler-storage';
import { requestIdMiddleware } from './common/request-id.middleware';
import { routeRateLimit } from './common/route-rate-limit.middleware';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { API_METRICS } from './metrics/metrics.tokens';
import { RevokedTokensRepository } from './auth/revoked-tokens.repository';
import { TokenVerifier } from './auth/token-verifier.service';
import { setUpOpenApi } from './openapi/open-api.setup';
import { LiveIoAdapter } from './live/live-io.adapter';

/** Builds the API application (used by main.ts and by the end-to-end tests). */
export async function createApiApplication(infrastructure: Infrastructure): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(infrastructure), {
    logger: levelsFrom(infrastructure.config.logging.level),
  });
  const { http } = infrastructure.config;
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  app.use(httpMetricsMiddleware(app.get<Registry>(API_METRICS)));
  // X-Forwarded-For counts only from the proxies TRUST_PROXY names (none by default), so no client
  // escapes its rate limit by sending the header itself.
  app.set('trust proxy', expressTrustProxy(http.trustProxy));
  app.use(helmet());
  if (http.corsOrigins.length > 0) {
    app.enableCors({ origin: http.corsOrigins.includes('*') ? true : http.corsOrigins, credentials: true });
  }
  app.useBodyParser('json', { limit: http.bodyLimitBytes });
  app.useWebSocketAdapter(new LiveIoAdapter(app, infrastructure.config));
  // Nest's guard limits REST; this limits the rest (queue board, static files, OpenAPI) alike.
  app.use(
    routeRateLimit(new RedisThrottlerStorage(infrastructure.redis, infrastructure.config.redis.prefix), http.rateLimit),
  );
  setUpOpenApi(app);
  app.use(
    QUEUE_BOARD_PATH,
    ...app.get(QueueBoardService).handlers(app.get(TokenVerifier), app.get(RevokedTokensRepository)),
  );
  const dashboardDir = infrastructure.config.dashboardDir ?? path.join(process.cwd(), 'dist', 'dashboard');
  if (existsSync(path.join(dashboardDir, 'index.html'))) {
    // The dashboard's own pages load the same index.html; the page picks its view from the path.
    // The console's pages (a SKU page is /inventory/<sku>) are the same app, routed in the browser.
    const pageRoutes = new Set(['/reports', '/login', '/inventory', '/alerts', '/admin']);
    const isPage = (pathname: string) => pageRoutes.has(pathname) || /^\/inventory\/[^/]+$/.test(pathname);
    app.use((request: IncomingMessage & { path?: string }, response: ServerResponse, next: () => void) => {
      if (request.method === 'GET' && isPage((request.path ?? '').replace(/\/+$/, ''))) {
        response.setHeader('Cache-Control', 'no-cache');
        response.setHeader('Content-Type', 'text/html; charset=utf-8');
        response.end(readFileSync(path.join(dashboardDir, 'index.html')));
        return;
      }
      next();
    });
    app.useStaticAssets(dashboardDir, {
      index: 'index.html',
      maxAge: '1h',
      // Hashed assets may be cached; the page that names them must not outlive a deploy.
      setHeaders: (response: ServerResponse, filePath: string) => {
        if (filePath.endsWith('.html')) response.setHeader('Cache-Control', 'no-cache');
      },
    });
  } else {
    new Logger('Dashboard').warn(`No built dashboard in ${dashboardDir}: run npm run build`);
  }
  return app;
}

import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import type { Registry } from 'prom-client';
import { type Infrastructure, levelsFrom } from '@stockwall/platform';
import { QUEUE_BOARD_PATH, QueueBoardService } from './admin/queue-board.service';
import { AppModule } from './app.module';
import { requestIdMiddleware } from './common/request-id.middleware';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { API_METRICS } from './metrics/metrics.tokens';
import { TokenVerifier } from './auth/token-verifier.service';
import { setUpOpenApi } from './history/open-api';
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
  // Behind a load balancer the client address (rate limits) comes from X-Forwarded-For.
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(helmet());
  if (http.corsOrigins.length > 0) {
    app.enableCors({ origin: http.corsOrigins.includes('*') ? true : http.corsOrigins, credentials: true });
  }
  app.useBodyParser('json', { limit: http.bodyLimitBytes });
  app.useWebSocketAdapter(new LiveIoAdapter(app, infrastructure.config));
  setUpOpenApi(app);
  app.use(QUEUE_BOARD_PATH, ...app.get(QueueBoardService).handlers(app.get(TokenVerifier)));
  const dashboardDir = infrastructure.config.dashboardDir ?? path.join(process.cwd(), 'dist', 'dashboard');
  if (existsSync(path.join(dashboardDir, 'index.html'))) {
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

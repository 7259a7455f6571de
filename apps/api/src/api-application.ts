import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Infrastructure } from '@stockwall/platform';
import { AppModule } from './app.module';

/** Builds the API application (used by main.ts and by the end-to-end tests). */
export async function createApiApplication(infrastructure: Infrastructure): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(infrastructure), {
    logger: ['log', 'warn', 'error'],
  });
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: '256kb' });
  const dashboardDir = infrastructure.config.dashboardDir ?? path.join(process.cwd(), 'dist', 'dashboard');
  if (existsSync(path.join(dashboardDir, 'index.html'))) {
    app.useStaticAssets(dashboardDir, {
      index: 'index.html',
      maxAge: '1h',
      // Hashed assets may be cached; the page that names them must not outlive a deploy.
      setHeaders: (response, filePath) => {
        if (filePath.endsWith('.html')) response.setHeader('Cache-Control', 'no-cache');
      },
    });
  } else {
    new Logger('Dashboard').warn(`No built dashboard in ${dashboardDir}: run npm run build`);
  }
  return app;
}

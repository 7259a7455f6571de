import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const OPEN_API_PATH = 'api/docs';

/** OpenAPI at /api/docs (UI) and /api/docs-json; the document itself is public, the routes are not. */
export function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Stockwall API')
    .setDescription(
      'Live stock and KPIs from Redis; history, alerts and reports from MySQL. Lists and series answer ' +
        '`Accept: text/csv` with CSV. Money is a decimal string.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup(OPEN_API_PATH, app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: `${OPEN_API_PATH}-json`,
  });
}

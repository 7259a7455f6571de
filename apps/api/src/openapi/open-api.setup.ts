import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { buildOpenApiDocument } from './open-api-document';

export const OPEN_API_PATH = 'api/docs';

/** OpenAPI at /api/docs (UI) and /api/docs-json; the document itself is public, the routes are not. */
export function setUpOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPEN_API_PATH, app, buildOpenApiDocument, { jsonDocumentUrl: `${OPEN_API_PATH}-json` });
}

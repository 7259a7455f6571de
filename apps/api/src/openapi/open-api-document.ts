import { OpenApiGeneratorV3, OpenAPIRegistry, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type { OpenAPIObject } from '@nestjs/swagger';
import { SESSION_COOKIE } from '../auth/session-cookie';
import { PROBLEM_STATUS } from '../common/domain-errors';
import { PROBLEM_TYPE_BASE } from '../common/problem-details';
import { accountRoutes } from './accounts.routes';
import { adminRoutes } from './admin.routes';
import { errorsOf, objectShapeOf, openApiPath, type ApiRoute } from './api-route';
import { historyRoutes } from './history.routes';
import { operationRoutes } from './operations.routes';
import { PROBLEM_CONTENT_TYPE, problemSchema } from './problem.schema';
import { reportRoutes } from './reports.routes';
import { stockRoutes } from './stock.routes';
import { writeRoutes } from './writes.routes';

/** Every REST route the API serves, one list per feature area. */
export const API_ROUTES: readonly ApiRoute[] = [
  ...stockRoutes,
  ...historyRoutes,
  ...reportRoutes,
  ...writeRoutes,
  ...adminRoutes,
  ...accountRoutes,
  ...operationRoutes,
];

const DESCRIPTION =
  'Live stock and KPIs from Redis; history, alerts and reports from MySQL. Lists and series answer ' +
  '`Accept: text/csv` with CSV. Money is a decimal string. Errors are RFC 9457 problem documents ' +
  '(`application/problem+json`) with a stable `code`. Callers sign with a bearer token or the session cookie ' +
  'of `POST /api/v1/auth/login` (a write with the cookie needs `X-Stockwall-Csrf: 1`).\n\n' +
  'Problem codes (`type` is `' +
  PROBLEM_TYPE_BASE +
  '#<code>`): ' +
  Object.entries(PROBLEM_STATUS)
    .map(([code, status]) => `\`${code}\` ${status}`)
    .join(', ') +
  '.';

/** The OpenAPI 3 document, generated from the routes' zod schemas. */
export function buildOpenApiDocument(routes: readonly ApiRoute[] = API_ROUTES): OpenAPIObject {
  const registry = new OpenAPIRegistry();
  registry.register('Problem', problemSchema);
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  const cookie = registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
  });
  for (const definition of routes) {
    const responses: Record<string, ResponseConfig> = {};
    const { success } = definition;
    responses[success.status] = {
      description: success.description,
      ...(success.schema
        ? {
            content: {
              [success.contentType ?? 'application/json']: { schema: success.schema },
              ...(definition.csv ? { 'text/csv': { schema: { type: 'string' as const } } } : {}),
            },
          }
        : {}),
    };
    for (const answer of definition.otherAnswers ?? []) {
      responses[answer.status] = {
        description: answer.description,
        content: { 'application/json': { schema: answer.schema } },
      };
    }
    for (const [status, description] of Object.entries(errorsOf(definition))) {
      responses[status] = { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } };
    }
    const query = definition.query ? objectShapeOf(definition.query) : undefined;
    registry.registerPath({
      method: definition.method,
      path: openApiPath(definition.path),
      summary: definition.summary,
      description: definition.description,
      tags: definition.tags,
      security: definition.access === 'public' ? [] : [{ [bearer.name]: [] }, { [cookie.name]: [] }],
      ...(definition.access === 'public' ? {} : { 'x-required-role': definition.access }),
      request: {
        ...(definition.params ? { params: definition.params } : {}),
        ...(query ? { query } : {}),
        ...(definition.body
          ? {
              body: {
                required: definition.body.required ?? true,
                content: { 'application/json': { schema: definition.body.schema } },
              },
            }
          : {}),
      },
      responses,
    });
  }
  const document = new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: { title: 'Stockwall API', version: '1', description: DESCRIPTION },
  });
  return document as OpenAPIObject;
}

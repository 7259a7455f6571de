import type { OpenAPIObject, ParameterObject, ResponseObject } from '@nestjs/swagger';
import type { ZodTypeAny } from 'zod';
import { openApiPath } from '../apps/api/src/openapi/api-route';
import { alertPageSchema, kpiHistoryPageSchema } from '../apps/api/src/openapi/history.routes';
import { problemSchema } from '../apps/api/src/openapi/problem.schema';
import { liveKpisSchema, stockPageSchema } from '../apps/api/src/openapi/stock.routes';
import { historyDay } from './support/history-events';
import { registeredRoutes, type RegisteredRoute } from './support/nest-routes';
import { eventually, TestStack } from './support/test-stack';

const FROM = '2024-03-01T00:00:00Z';
const TO = '2024-03-02T00:00:00Z';

/** What the document lacks for one route; empty when it describes the route completely. */
function gapsOf(document: OpenAPIObject, route: RegisteredRoute): string[] {
  const operation = document.paths[openApiPath(route.path)]?.[route.method];
  if (!operation) return ['not in the document'];
  const gaps: string[] = [];
  const parameters = (operation.parameters ?? []) as ParameterObject[];
  for (const name of route.pathParameters) {
    if (!parameters.some((parameter) => parameter.in === 'path' && parameter.name === name && parameter.schema)) {
      gaps.push(`path parameter ${name}`);
    }
  }
  if (route.takesQuery && !parameters.some((parameter) => parameter.in === 'query' && parameter.schema)) {
    gaps.push('query parameters');
  }
  const body = operation.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined;
  if (route.takesBody && !body?.content?.['application/json']?.schema) gaps.push('request body');
  if (!route.takesBody && body) gaps.push('a request body the route does not read');
  const responses = operation.responses as Record<string, ResponseObject>;
  const successes = Object.keys(responses).filter((status) => /^2\d\d$/.test(status));
  if (successes.length === 0) gaps.push('a 2xx response');
  if (route.httpCode !== undefined && !successes.includes(String(route.httpCode))) {
    gaps.push(`the ${route.httpCode} response its @HttpCode sets`);
  }
  for (const status of successes) {
    const content = responses[status].content;
    if (status !== '204' && !Object.values(content ?? {}).some((media) => media.schema)) {
      gaps.push(`a schema for ${status}`);
    }
  }
  const expectedErrors = [
    ...(route.takesBody || route.takesQuery || route.pathParameters.length > 0 ? ['400'] : []),
    ...(route.isPublic ? [] : ['401']),
    ...(route.role === 'warehouse' || route.role === 'admin' ? ['403'] : []),
    '429',
    '500',
  ];
  for (const status of expectedErrors) {
    const problem = responses[status]?.content?.['application/problem+json']?.schema as { $ref?: string } | undefined;
    if (problem?.$ref !== '#/components/schemas/Problem') gaps.push(`a ${status} problem response`);
  }
  return gaps;
}

describe('OpenAPI document: generated from the zod schemas, complete for every route', () => {
  let stack: TestStack;
  let document: OpenAPIObject;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 1 });
    await stack.publish(...historyDay('D'));
    await eventually(async () =>
      (await stack.get(`/api/v1/alerts?from=${FROM}&to=${TO}`)).body.items?.length > 0 ? true : undefined,
    );
    const response = await fetch(`${stack.apiUrl}/api/docs-json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as OpenAPIObject;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('describes every route Nest registered: parameters, body, a 2xx schema and its problem responses', () => {
    const routes = registeredRoutes(stack.api!);
    expect(routes.length).toBeGreaterThan(30);
    const incomplete = routes
      .map((route) => ({
        route: `${route.method.toUpperCase()} ${route.path} (${route.handler})`,
        gaps: gapsOf(document, route),
      }))
      .filter((entry) => entry.gaps.length > 0);
    expect(incomplete).toEqual([]);
  });

  it('names what a route lacks when the document leaves it out', () => {
    const route = registeredRoutes(stack.api!).find(
      (candidate) => candidate.method === 'put' && candidate.path === '/api/v1/suppliers/:supplierId/lead-time',
    )!;
    expect(route).toMatchObject({ pathParameters: ['supplierId'], takesBody: true, role: 'admin' });
    const stripped = structuredClone(document);
    const operation = stripped.paths['/api/v1/suppliers/{supplierId}/lead-time'].put!;
    delete operation.requestBody;
    operation.parameters = [];
    delete operation.responses['403'];
    delete operation.responses['200'];
    expect(gapsOf(stripped, route)).toEqual([
      'path parameter supplierId',
      'request body',
      'a 2xx response',
      'a 403 problem response',
    ]);
    delete stripped.paths['/api/v1/suppliers/{supplierId}/lead-time'];
    expect(gapsOf(stripped, route)).toEqual(['not in the document']);
  });

  it('documents no route the API does not serve', () => {
    const served = new Set(registeredRoutes(stack.api!).map((route) => `${route.method} ${openApiPath(route.path)}`));
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    expect(documented.filter((route) => !served.has(route))).toEqual([]);
  });

  it('answers errors as the Problem schema it documents', async () => {
    const response = await fetch(`${stack.apiUrl}/api/v1/stock?limit=0`, {
      headers: { authorization: `Bearer ${stack.token('viewer')}` },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const parsed = problemSchema.safeParse(await response.json());
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it.each<[string, ZodTypeAny]>([
    ['/api/v1/stock', stockPageSchema],
    ['/api/v1/stock?belowReorderPoint=true&limit=5', stockPageSchema],
    [`/api/v1/kpis/history?from=${FROM}&to=${TO}&interval=1h`, kpiHistoryPageSchema],
    [`/api/v1/alerts?from=${FROM}&to=${TO}`, alertPageSchema],
    ['/api/v1/kpis/live?window=24h', liveKpisSchema],
  ])('answers GET %s as its documented response schema says', async (path, schema) => {
    const response = await stack.get(path);
    expect(response.status).toBe(200);
    const parsed = schema.safeParse(response.body);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });
});

import { objectShapeOf, openApiPath } from './api-route';
import { API_ROUTES, buildOpenApiDocument } from './open-api-document';

describe(buildOpenApiDocument.name, () => {
  const sut = buildOpenApiDocument();

  it('registers each route once', () => {
    const keys = API_ROUTES.map((route) => `${route.method} ${route.path}`);
    expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
  });

  it('declares every path parameter of every route, and no other', () => {
    const mismatched = API_ROUTES.filter((route) => {
      const inPath = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]).sort();
      const declared = Object.keys(route.params?.shape ?? {}).sort();
      return inPath.join() !== declared.join();
    }).map((route) => route.path);
    expect(mismatched).toEqual([]);
  });

  it('reads the query parameters from the validation schema, refinements and transforms unwrapped', () => {
    const unreadable = API_ROUTES.filter((route) => route.query && !objectShapeOf(route.query)).map(
      (route) => route.path,
    );
    expect(unreadable).toEqual([]);
  });

  it('answers every error of every operation with the Problem schema as application/problem+json', () => {
    for (const route of API_ROUTES) {
      const responses = sut.paths[openApiPath(route.path)][route.method]!.responses as Record<
        string,
        { content?: Record<string, { schema?: { $ref?: string } }> }
      >;
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) < 400 || (route.path === '/health/ready' && status === '503')) continue;
        expect([route.path, status, response.content?.['application/problem+json']?.schema?.$ref]).toEqual([
          route.path,
          status,
          '#/components/schemas/Problem',
        ]);
      }
    }
  });
});

import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z, type AnyZodObject, type ZodTypeAny } from 'zod';
import type { Role } from '@stockwall/contracts';
import { PROBLEM_STATUS } from '../common/domain-errors';

// `.openapi()` on every zod schema (a prototype patch: schemas made before this line get it too).
extendZodWithOpenApi(z);

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type ErrorStatus = (typeof PROBLEM_STATUS)[keyof typeof PROBLEM_STATUS];

/** Who may call a route: nobody signed in (`public`), or at least this role. */
export type RouteAccess = 'public' | Role;

/**
 * One REST route as the OpenAPI document describes it. The schemas are the ones the route's
 * validation pipes use (`*.dto.ts`) and, for the answer, the response schemas beside them here.
 */
export interface ApiRoute {
  method: HttpMethod;
  /** As Nest registers it: `/api/v1/stock/:sku`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  access: RouteAccess;
  params?: AnyZodObject;
  query?: ZodTypeAny;
  body?: { schema: ZodTypeAny; required?: boolean };
  /** The success answer: its status, what it means and its JSON schema (none for 204). */
  success: { status: 200 | 201 | 202 | 204; description: string; schema?: ZodTypeAny; contentType?: string };
  /** Other answers that are not problem documents (an acknowledgement answers 202 or 200). */
  otherAnswers?: { status: number; description: string; schema: ZodTypeAny }[];
  /** Lists and series also answer `Accept: text/csv`. */
  csv?: boolean;
  /** The errors this route answers besides the ones its access and input imply (401, 403, 400). */
  errors?: Partial<Record<ErrorStatus, string>>;
}

export function route(definition: ApiRoute): ApiRoute {
  return definition;
}

/** `:sku` → `{sku}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** The body of a route's validation pipe, with its `ZodEffects` wrappers (refine, transform) removed. */
export function objectShapeOf(schema: ZodTypeAny): AnyZodObject | undefined {
  let current: ZodTypeAny = schema;
  for (;;) {
    if (current instanceof z.ZodObject) return current;
    if (current instanceof z.ZodEffects) current = current.innerType() as ZodTypeAny;
    else if (current instanceof z.ZodOptional || current instanceof z.ZodDefault) {
      current = current._def.innerType as ZodTypeAny;
    } else return undefined;
  }
}

/**
 * Every error a route may answer, with why: the ones its input and access imply, then its own.
 * 429 for all (the rate limit), 500 for all (an unexpected fault).
 */
export function errorsOf(definition: ApiRoute): Partial<Record<ErrorStatus, string>> {
  const validates = Boolean(definition.params ?? definition.query ?? definition.body);
  return {
    ...(validates ? { 400: 'A refused parameter or body field (`validation_failed`, each in `errors`)' } : {}),
    ...(definition.access !== 'public' ? { 401: 'No valid token or session (`unauthorized`)' } : {}),
    ...(definition.access === 'warehouse' || definition.access === 'admin'
      ? { 403: `The caller's role is below ${definition.access} (\`forbidden\`)` }
      : definition.access !== 'public' && definition.method !== 'get'
        ? { 403: 'A write made with the session cookie lacks the X-Stockwall-Csrf header (`forbidden`)' }
        : {}),
    ...(definition.body ? { 413: 'The body is larger than BODY_LIMIT_KB (`payload_too_large`)' } : {}),
    ...definition.errors,
    429: 'Too many requests from this client (`rate_limited`); see Retry-After',
    500: 'An unexpected fault (`internal`); the correlation id finds it in the logs',
  };
}

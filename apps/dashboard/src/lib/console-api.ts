import type { QueryValue } from './rest-api';

/** Cookie-authenticated unsafe requests carry this header (the API's CSRF defence). */
export const CSRF_HEADER = 'X-Stockwall-Csrf';

/** A field's problem as the API's 400 body lists it: `errors` with a dotted path, or `issues` with its parts. */
export interface ApiIssue {
  path: string | (string | number)[];
  message: string;
}

/** A refused or failed console request: the status (0 when unreachable), the message, problems by field. */
export class ConsoleApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: Record<string, string> = {},
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ConsoleApiError';
  }
}

/**
 * Field problems keyed by their dotted path ("delta", "product.name"), from a problem document's
 * `errors` (`{ path: 'a.b', message }`) or an `issues` list (`{ path: ['a', 'b'], message }`); the
 * first message of a field wins. A problem of the whole body ("input") is keyed ''.
 */
export function fieldErrorsOf(body: unknown): Record<string, string> {
  const record = body as { errors?: unknown; issues?: unknown } | null;
  const list = Array.isArray(record?.errors) ? record.errors : Array.isArray(record?.issues) ? record.issues : [];
  const errors: Record<string, string> = {};
  for (const issue of list as Partial<ApiIssue>[]) {
    if (typeof issue?.message !== 'string') continue;
    const path = Array.isArray(issue.path) ? issue.path.join('.') : typeof issue.path === 'string' ? issue.path : '';
    errors[path === 'input' ? '' : path] ??= issue.message;
  }
  return errors;
}

/** The message to show for a refused request. */
export function messageOf(status: number, body: unknown): string {
  const message = (body as { message?: unknown } | null)?.message;
  if (typeof message === 'string' && message) return message;
  if (Array.isArray(message) && typeof message[0] === 'string') return message.join('; ');
  switch (status) {
    case 0:
      return 'The server could not be reached';
    case 401:
      return 'Signed out: sign in again';
    case 403:
      return 'Your role may not do this';
    case 404:
      return 'Not found';
    case 429:
      return 'Too many attempts: wait a moment';
    default:
      return `The server answered ${status}`;
  }
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestPlan {
  url: string;
  init: RequestInit & { headers: Record<string, string> };
}

/**
 * How to send one request: a bearer token when the page has one, else the session cookie (same
 * origin) with the CSRF header on every unsafe method.
 */
export function planRequest(
  method: HttpMethod,
  path: string,
  options: { bearer?: string | null; query?: Record<string, QueryValue>; body?: unknown; accept?: string } = {},
): RequestPlan {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  if (method !== 'GET') headers[CSRF_HEADER] = '1';
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  return {
    url: search ? `${path}?${search}` : path,
    init: {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    },
  };
}

/** What every console request needs: the page's bearer token (or none: the cookie), and who hears a 401. */
export interface ConsoleAuth {
  bearer: string | null;
  onUnauthorized?: () => void;
}

/** Sends a request and answers its JSON body (null for 204); throws ConsoleApiError when refused. */
export async function consoleRequest<T>(
  auth: ConsoleAuth,
  method: HttpMethod,
  path: string,
  options: { query?: Record<string, QueryValue>; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const plan = planRequest(method, path, { bearer: auth.bearer, query: options.query, body: options.body });
  let response: Response;
  try {
    response = await fetch(plan.url, { ...plan.init, signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ConsoleApiError(0, messageOf(0, null));
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    if (response.status === 401) auth.onUnauthorized?.();
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ConsoleApiError(
      response.status,
      messageOf(response.status, body),
      fieldErrorsOf(body),
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    );
  }
  return body as T;
}

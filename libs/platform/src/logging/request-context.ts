import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Header values accepted as a request id: what load balancers and tracing proxies send, nothing that could forge a log line. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * The one place a request id (also called a correlation id) is read from a client: the first of
 * `X-Request-Id` / `X-Correlation-Id` that is 1-128 safe characters, otherwise a new UUID. A value
 * with control characters, spaces or quotes is replaced, never echoed or logged.
 */
export function requestIdFrom(headers: Record<string, string | string[] | undefined>): string {
  for (const name of ['x-request-id', 'x-correlation-id']) {
    const value = headers[name];
    const single = Array.isArray(value) ? value[0] : value;
    if (single !== undefined && REQUEST_ID_PATTERN.test(single)) return single;
  }
  return randomUUID();
}

/** Runs `work` with `requestId` as the request id of every log line written inside it, however deep. */
export function runWithRequestId<T>(requestId: string, work: () => T): T {
  return storage.run({ requestId }, work);
}

/** The request id of the request being handled, or undefined outside one. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

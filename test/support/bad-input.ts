import type { WireEvent } from '@stockwall/contracts';
import { aProductAdded } from '../factories/wire-events';
import { eventually, TestStack } from './test-stack';

/**
 * What the bad-input corpus files share: one stack with a small event size limit and a generous rate
 * limit, two SKUs to look up and adjust, and a client that reads any answer (JSON or not).
 */
export const MAX_EVENT_BYTES = 4096;
export const FROM = '2024-03-01T00:00:00Z';
export const TO = '2024-03-02T00:00:00Z';
export const timestamp = '2024-05-02T10:00:00Z';

export function added(sku: string, quantity = 1): WireEvent {
  return aProductAdded({ sku, name: 'Corpus', quantity, at: timestamp });
}

/** The stack the corpus runs against, with CORPUS-OK (10 on hand) and CORPUS-W (none) applied. */
async function startCorpusStack(): Promise<TestStack> {
  const stack = await TestStack.start({
    shards: 1,
    env: { RATE_LIMIT_MAX: '100000', MAX_EVENT_BYTES: String(MAX_EVENT_BYTES), LIVE_SUBSCRIBE_BURST: '10' },
  });
  await stack.publish(added('CORPUS-OK', 10), added('CORPUS-W', 0));
  await eventually(async () => ((await stack.get('/api/v1/stock/CORPUS-W')).status === 200 ? true : undefined));
  return stack;
}

/** Starts the corpus stack before the file's tests and stops it after them. */
export function useCorpusStack(): { readonly stack: TestStack } {
  const corpus = {} as { stack: TestStack };
  beforeAll(async () => {
    corpus.stack = await startCorpusStack();
  }, 60_000);
  afterAll(async () => {
    await corpus.stack?.stop();
  });
  return corpus;
}

export interface CorpusAnswer {
  status: number;
  body: any;
}

/** Calls the API as an admin; the body is the parsed JSON, or the text when it is not JSON. */
export async function callAsAdmin(
  stack: TestStack,
  method: string,
  path: string,
  body?: unknown,
  raw?: { text: string; type: string },
): Promise<CorpusAnswer> {
  const headers: Record<string, string> = { authorization: `Bearer ${stack.token('admin')}` };
  if (body !== undefined || raw) headers['content-type'] = raw?.type ?? 'application/json';
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers,
    body: raw ? raw.text : body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, body: json };
}

/** A 400 whose messages name `parameter` (`input` for an unknown or malformed whole). */
export function expectNamed(response: CorpusAnswer, parameter: string): void {
  expect(response.status).toBe(400);
  const messages: string[] = Array.isArray(response.body.message) ? response.body.message : [response.body.message];
  expect(messages.some((message) => message.startsWith(`${parameter}: `) || message.startsWith(`${parameter}.`))).toBe(
    true,
  );
  expect(JSON.stringify(response.body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
}

export const json = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
/** A quantity_changed around any `product` object, well-formed or not. */
export const quantityChanged = (product: Record<string, unknown>) => ({ event_type: 'quantity_changed', product });

import { ConfigError, loadConfig } from '@stockwall/config';
import type { WireEvent } from '@stockwall/contracts';
import { CafeConverter } from '../apps/cli/src/replay/cafe.converter';
import { EventsJsonlConverter } from '../apps/cli/src/replay/events-jsonl.converter';
import { OnlineRetailConverter } from '../apps/cli/src/replay/online-retail.converter';
import { DEFAULT_REPLAY_OPTIONS } from '../apps/cli/src/replay/replay-types';
import { aggregateOneWithLibrary } from './support/kpl-records';
import { eventually, TestStack } from './support/test-stack';

/**
 * The bad-input corpus: every way in (REST query strings, path parameters and bodies, /live
 * messages, Kinesis records plain and KPL-aggregated, replay CSV rows, the environment), each
 * case with its exact refusal, and beside each the good input that must still work.
 */
const MAX_EVENT_BYTES = 4096;
const FROM = '2024-03-01T00:00:00Z';
const TO = '2024-03-02T00:00:00Z';
const timestamp = '2024-05-02T10:00:00Z';

let stack: TestStack;

beforeAll(async () => {
  stack = await TestStack.start({
    shards: 1,
    env: { RATE_LIMIT_MAX: '100000', MAX_EVENT_BYTES: String(MAX_EVENT_BYTES), LIVE_SUBSCRIBE_BURST: '10' },
  });
  await stack.publish(added('CORPUS-OK', 10), added('CORPUS-W', 0));
  await eventually(async () => ((await stack.get('/api/v1/stock/CORPUS-W')).status === 200 ? true : undefined));
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

function added(sku: string, quantity = 1): WireEvent {
  return { event_type: 'product_added', product: { product_id: sku, product_name: 'Corpus', quantity, timestamp } };
}

async function call(method: string, path: string, body?: unknown, raw?: { text: string; type: string }) {
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
function expectNamed(response: { status: number; body: any }, parameter: string) {
  expect(response.status).toBe(400);
  const messages: string[] = Array.isArray(response.body.message) ? response.body.message : [response.body.message];
  expect(messages.some((message) => message.startsWith(`${parameter}: `) || message.startsWith(`${parameter}.`))).toBe(
    true,
  );
  expect(JSON.stringify(response.body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
}

describe('REST query strings', () => {
  const RANGE = `from=${FROM}&to=${TO}`;
  const BAD_INSTANTS = [
    '2026-02-31T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '2024-01-01T00:00:00+99:99',
    '2024-01-01T24:00:00Z',
    '2024-01-01T00:00:00',
    'yesterday',
    '1e12',
  ];
  const ROUTES_WITH_RANGE = [
    '/api/v1/kpis/history',
    '/api/v1/products/CORPUS-OK/history',
    '/api/v1/alerts',
    '/api/v1/reports/top-products',
    '/api/v1/reports/sales-by-source',
    '/api/v1/reports/peak-hours',
  ];
  const cases: [string, string, string][] = [];
  for (const route of ROUTES_WITH_RANGE) {
    for (const instant of BAD_INSTANTS) {
      cases.push([route, `from=${encodeURIComponent(instant)}&to=${TO}`, 'from']);
    }
    cases.push([route, `from=${FROM}&to=${encodeURIComponent('2024-13-01T00:00:00Z')}`, 'to']);
    cases.push([route, `from=${TO}&to=${FROM}`, 'from']);
    cases.push([route, `from=${FROM}&from=${FROM}&to=${TO}`, 'from']);
  }
  for (const [route, limit] of [
    ['/api/v1/kpis/history', '10001'],
    ['/api/v1/products/CORPUS-OK/history', '0'],
    ['/api/v1/alerts', '-1'],
    ['/api/v1/reports/top-products', '1e3'],
    ['/api/v1/stock', '0x10'],
    ['/api/v1/stock', ' 5'],
    ['/api/v1/forecasts', '1.5'],
    ['/api/v1/dead-letters', 'NaN'],
    ['/api/v1/suppliers/lead-times', 'Infinity'],
  ]) {
    cases.push([
      route,
      `${route.includes('history') || route.includes('alerts') || route.includes('reports') ? `${RANGE}&` : ''}limit=${encodeURIComponent(limit)}`,
      'limit',
    ]);
  }
  cases.push(
    ['/api/v1/kpis/history', `${RANGE}&cursor=abc`, 'cursor'],
    ['/api/v1/kpis/history', `${RANGE}&cursor=${encodeURIComponent('1999-01-01T00:00:00Z')}`, 'cursor'],
    ['/api/v1/kpis/history', `${RANGE}&cursor=${encodeURIComponent('2024-03-01T00:00:00+99:99')}`, 'cursor'],
    ['/api/v1/kpis/history', `${RANGE}&interval=2m`, 'interval'],
    ['/api/v1/kpis/history', `${RANGE}&interval=`, 'interval'],
    ['/api/v1/kpis/history', `${RANGE}&tz=Mars%2FPhobos`, 'tz'],
    ['/api/v1/kpis/history', `${RANGE}&source=%00x`, 'source'],
    ['/api/v1/products/CORPUS-OK/history', `${RANGE}&cursor=1.2.3`, 'cursor'],
    ['/api/v1/alerts', `${RANGE}&cursor=-5`, 'cursor'],
    ['/api/v1/alerts', `${RANGE}&status=closed`, 'status'],
    ['/api/v1/reports/top-products', `${RANGE}&by=profit`, 'by'],
    ['/api/v1/stock', 'cursor=no-tab-here', 'cursor'],
    ['/api/v1/stock', `location=${encodeURIComponent('main\n')}`, 'location'],
    ['/api/v1/stock', 'belowReorderPoint=yes', 'belowReorderPoint'],
    ['/api/v1/stock', `search=${'x'.repeat(65)}`, 'search'],
    // The query parser reads `limit[gt]` as a key of its own: unknown, refused as a whole.
    ['/api/v1/stock', 'limit[gt]=5', 'input'],
    ['/api/v1/stock', 'unknown=1', 'input'],
    ['/api/v1/kpis/live', 'window=2h', 'window'],
    ['/api/v1/kpis/live', `source=${encodeURIComponent('\u001b[31m')}`, 'source'],
    ['/api/v1/forecasts', 'cursor=not-ours', 'cursor'],
    ['/api/v1/dead-letters', 'reason=gone', 'reason'],
    ['/api/v1/dead-letters', 'cursor=abc', 'cursor'],
    ['/api/v1/dead-letters', 'shardId=..%2F..', 'shardId'],
  );

  it.each(cases)(
    'GET %s?%s is a 400 naming %s, and the route still answers a good query',
    async (route, query, parameter) => {
      expectNamed(await call('GET', `${route}?${query}`), parameter);
      const good =
        route.includes('history') || route.includes('alerts') || route.includes('reports') ? `?${RANGE}` : '';
      expect((await call('GET', `${route}${good}`)).status).toBe(200);
    },
  );
});

describe('REST path parameters', () => {
  it.each([
    ['GET', '/api/v1/stock/%00', 400],
    ['GET', `/api/v1/stock/${'A'.repeat(129)}`, 400],
    ['GET', '/api/v1/stock/for%0Aged', 400],
    ['GET', '/api/v1/stock/%1B%5B2J', 400],
    // Identifiers are trimmed and may hold any printable character, as on the wire: no such SKU.
    ['GET', '/api/v1/stock/%0Aforged', 404],
    ['GET', '/api/v1/stock/%E2%80%AEevil', 404],
    ['GET', '/api/v1/stock/%20', 400],
    ['GET', '/api/v1/stock/..%2F..%2Fetc%2Fpasswd', 404],
    ['GET', '/api/v1/stock/%ZZ', 400],
    ['GET', `/api/v1/products/%00/history?from=${FROM}&to=${TO}`, 400],
    ['GET', `/api/v1/products/${'B'.repeat(300)}/history?from=${FROM}&to=${TO}`, 400],
    ['POST', `/api/v1/alerts/${'a'.repeat(401)}/ack`, 400],
    ['DELETE', '/api/v1/display-tokens/not-a-uuid', 400],
    ['DELETE', '/api/v1/products/%00', 400],
    ['PUT', '/api/v1/products/%0A/reorder-point', 400],
  ] as const)('%s %s answers %i, never 500, and good lookups still work', async (method, path, status) => {
    const response = await call(method, path, method === 'PUT' ? { reorderPoint: 1 } : undefined);
    expect(response.status).toBe(status);
    expect(JSON.stringify(response.body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
    expect((await call('GET', '/api/v1/stock/CORPUS-OK')).status).toBe(200);
  });
});

describe('REST bodies', () => {
  let goodWrites = 0;

  const bodies: [string, string, unknown, number, string][] = [
    ['POST', '/api/v1/adjustments', {}, 400, 'sku'],
    ['POST', '/api/v1/adjustments', { sku: 'CORPUS-W', reason: 'r' }, 400, 'delta'],
    ['POST', '/api/v1/adjustments', { sku: 'CORPUS-W', delta: 0, reason: 'r' }, 400, 'delta'],
    ['POST', '/api/v1/adjustments', { sku: 'CORPUS-W', delta: 1.5, reason: 'r' }, 400, 'delta'],
    ['POST', '/api/v1/adjustments', { sku: 'CORPUS-W', delta: '3', reason: 'r' }, 400, 'delta'],
    ['POST', '/api/v1/adjustments', { sku: 'CORPUS-W', delta: 1e12, reason: 'r' }, 400, 'delta'],
    ['POST', '/api/v1/adjustments', { sku: 'CORPUS-W', delta: 1, countedQuantity: 3, reason: 'r' }, 400, 'delta'],
    ['POST', '/api/v1/adjustments', { sku: 'CORPUS-W', delta: 1, reason: '' }, 400, 'reason'],
    ['POST', '/api/v1/adjustments', { sku: 'CORPUS-W', delta: 1, reason: 'r'.repeat(5000) }, 400, 'reason'],
    ['POST', '/api/v1/adjustments', { sku: 'CORPUS-W', delta: 1, reason: 'r', actor: 'me' }, 400, 'input'],
    ['POST', '/api/v1/adjustments', { sku: 'A\u0000B', delta: 1, reason: 'r' }, 400, 'sku'],
    ['POST', '/api/v1/adjustments', { sku: 'CORPUS-W', delta: 1, reason: 'r', location: 'a/b' }, 400, 'location'],
    ['POST', '/api/v1/adjustments', [], 400, 'input'],
    ['POST', '/api/v1/adjustments', { __proto__: { delta: 5 }, sku: 'CORPUS-W', reason: 'r' }, 400, 'delta'],
    ['POST', '/api/v1/products', { sku: 'N1', name: '', quantity: 1 }, 400, 'name'],
    ['POST', '/api/v1/products', { sku: 'N1', name: 'n', quantity: -1 }, 400, 'quantity'],
    ['POST', '/api/v1/products', { sku: 'N1', name: 'n', quantity: 1, unitPrice: '1.234' }, 400, 'unitPrice'],
    ['POST', '/api/v1/products', { sku: 'N1', name: 'n', quantity: 1, unitPrice: -1 }, 400, 'unitPrice'],
    ['POST', '/api/v1/products', { sku: 'N1', name: 'n', quantity: 1, reorderPoint: 'five' }, 400, 'reorderPoint'],
    ['PUT', '/api/v1/products/CORPUS-W/reorder-point', { reorderPoint: -1 }, 400, 'reorderPoint'],
    ['PUT', '/api/v1/products/CORPUS-W/reorder-point', { reorderPoint: '5' }, 400, 'reorderPoint'],
    ['PUT', '/api/v1/products/CORPUS-W/reorder-point', {}, 400, 'reorderPoint'],
    ['POST', '/api/v1/display-tokens', { name: 'for\nged', ttlDays: 1 }, 400, 'name'],
    ['POST', '/api/v1/display-tokens', { name: 'hall', ttlDays: 0 }, 400, 'ttlDays'],
    ['POST', '/api/v1/display-tokens', { name: 'hall', ttlDays: 4000 }, 400, 'ttlDays'],
    ['POST', '/api/v1/display-tokens', { name: 'hall', ttlDays: 400 }, 400, 'ttlDays'],
    ['POST', '/api/v1/auth/revocations', {}, 400, 'input'],
    ['POST', '/api/v1/auth/revocations', { id: 'a b' }, 400, 'id'],
    ['POST', '/api/v1/auth/revocations', { token: 'garbage' }, 400, 'token'],
    ['PUT', '/api/v1/suppliers/S1/lead-time', { days: -1 }, 400, 'days'],
    ['PUT', '/api/v1/suppliers/S1/lead-time', { days: 'a week' }, 400, 'days'],
  ];

  it.each(bodies)(
    '%s %s %j is a %i naming %s; a good adjustment beside it applies',
    async (method, path, body, status, parameter) => {
      const response = await call(method, path, body);
      expect(response.status).toBe(status);
      expectNamed(response, parameter);
      const good = await call('POST', '/api/v1/adjustments', { sku: 'CORPUS-W', delta: 1, reason: 'corpus' });
      expect(good.status).toBe(202);
      goodWrites++;
    },
  );

  it.each([
    ['malformed JSON', '{"sku": "CORPUS-W", "delta": 1,', 'application/json', 400],
    ['a bare null', 'null', 'application/json', 400],
    ['a bare string', '"text"', 'application/json', 400],
    ['JSON with a NUL', '{"sku":"CORPUS-W"\u0000}', 'application/json', 400],
    [
      'a body over the limit',
      JSON.stringify({ sku: 'CORPUS-W', delta: 1, reason: 'x'.repeat(70 * 1024) }),
      'application/json',
      413,
    ],
    ['form data', 'sku=CORPUS-W&delta=1&reason=r', 'application/x-www-form-urlencoded', 400],
    ['deeply nested JSON', `${'['.repeat(5000)}${']'.repeat(5000)}`, 'application/json', 400],
  ])('refuses %s with %i and a JSON error', async (_, text, type, status) => {
    const response = await call('POST', '/api/v1/adjustments', undefined, { text, type });
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ statusCode: status, correlationId: expect.any(String) });
  });

  it('applied every good write beside the refused ones', async () => {
    expect(goodWrites).toBe(bodies.length);
    await eventually(async () =>
      (await stack.get('/api/v1/stock/CORPUS-W')).body.onHand === goodWrites ? true : undefined,
    );
  });
});

describe('/live messages', () => {
  const messages: [string, unknown][] = [
    ['null', null],
    ['a string', 'stock'],
    ['a number', 42],
    ['an array', ['stock']],
    ['no channels', {}],
    ['empty channels', { channels: [] }],
    ['an unknown channel', { channels: ['orders'] }],
    ['channels as text', { channels: 'stock' }],
    ['too many channels', { channels: ['stock', 'stock', 'kpis', 'alerts'] }],
    ['an unknown window', { channels: ['kpis'], filters: { window: '2h' } }],
    ['a source with a newline', { channels: ['kpis'], filters: { source: 'web\n' } }],
    ['a location object', { channels: ['stock'], filters: { location: { $ne: '' } } }],
    ['a location with NUL', { channels: ['stock'], filters: { location: 'main\u0000' } }],
    ['a location of 10 KB', { channels: ['stock'], filters: { location: 'x'.repeat(10_240) } }],
    ['an unknown filter', { channels: ['stock'], filters: { sku: 'A' } }],
    ['filters as an array', { channels: ['stock'], filters: [] }],
    ['an extra field', { channels: ['stock'], since: 0 }],
    ['a deep object', { channels: ['stock'], filters: JSON.parse(`${'{"a":'.repeat(50)}1${'}'.repeat(50)}`) }],
    ['a prototype key', JSON.parse('{"channels":["stock"],"__proto__":{"filters":{"location":"main"}}}')],
  ];

  it.each(messages)(
    'answers a subscribe with %s with bad_request; a good subscribe still works',
    async (_, message) => {
      const socket = await stack.connectLive();
      const ack = await socket.emitWithAck('subscribe', message as never);
      expect(ack).toEqual({ ok: false, error: { code: 'bad_request', message: expect.any(String) } });
      expect((await socket.emitWithAck('subscribe', { channels: ['stock'] })).ok).toBe(true);
      socket.disconnect();
    },
  );

  it.each(['constructor', '__proto__', 'toString', 'stock.delta'])(
    'ignores the unknown message %s and keeps serving the socket',
    async (name) => {
      const socket = await stack.connectLive();
      (socket as unknown as { emit: (event: string, ...args: unknown[]) => void }).emit(name, { channels: ['stock'] });
      const ack = await socket.emitWithAck('subscribe', { channels: ['stock'] });
      expect(ack.ok).toBe(true);
      expect(socket.connected).toBe(true);
      socket.disconnect();
    },
  );
});

interface RecordCase {
  name: string;
  data: () => Promise<Buffer> | Buffer;
  reason: string;
  /** For a KPL aggregate: the user record that is bad (the others are good SKUs to apply). */
  kpl?: boolean;
}

const json = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const quantityChanged = (product: Record<string, unknown>) => ({ event_type: 'quantity_changed', product });

const RECORDS: RecordCase[] = [
  { name: 'not JSON', data: () => json('{"event_type": "product_added",'), reason: 'not_json' },
  { name: 'empty', data: () => Buffer.alloc(0), reason: 'not_json' },
  { name: 'not UTF-8', data: () => Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), reason: 'not_utf8' },
  // Without a byte order mark UTF-16 of ASCII is valid UTF-8 (with NULs): not JSON.
  { name: 'UTF-16 JSON', data: () => Buffer.from(JSON.stringify(added('U16')), 'utf16le'), reason: 'not_json' },
  {
    name: 'UTF-16 JSON with a byte order mark',
    data: () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(added('U16')), 'utf16le')]),
    reason: 'not_utf8',
  },
  {
    name: 'over MAX_EVENT_BYTES',
    data: () => json({ ...added('BIG'), pad: 'x'.repeat(MAX_EVENT_BYTES) }),
    reason: 'too_large',
  },
  { name: 'an array', data: () => json([added('ARR')]), reason: 'not_an_object' },
  { name: 'a number', data: () => json('42'), reason: 'not_an_object' },
  { name: 'null', data: () => json('null'), reason: 'not_an_object' },
  {
    name: 'nested 40 deep',
    data: () => json(`{"event_type":"product_added","x":${'['.repeat(40)}${']'.repeat(40)}}`),
    reason: 'invalid_event',
  },
  { name: 'no event_type', data: () => json({ product: { product_id: 'X' } }), reason: 'invalid_event' },
  { name: 'an unknown event_type', data: () => json({ event_type: 'product_stolen' }), reason: 'unknown_event_type' },
  {
    name: 'an event_type with an escape',
    data: () => json({ event_type: '\u001b[2Jproduct_added' }),
    reason: 'unknown_event_type',
  },
  { name: 'a numeric event_type', data: () => json({ event_type: 7 }), reason: 'unknown_event_type' },
  { name: 'no product', data: () => json({ event_type: 'product_added' }), reason: 'invalid_event' },
  {
    name: 'a negative quantity',
    data: () =>
      json({ event_type: 'product_added', product: { product_id: 'N', product_name: 'n', quantity: -5, timestamp } }),
    reason: 'invalid_event',
  },
  {
    name: 'a fractional quantity',
    data: () =>
      json({ event_type: 'product_added', product: { product_id: 'N', product_name: 'n', quantity: 1.5, timestamp } }),
    reason: 'invalid_event',
  },
  {
    name: 'a quantity of 1e309',
    data: () =>
      json(
        `{"event_type":"product_added","product":{"product_id":"N","product_name":"n","quantity":1e309,"timestamp":"${timestamp}"}}`,
      ),
    reason: 'invalid_event',
  },
  {
    name: 'an absurd quantity',
    data: () =>
      json({ event_type: 'product_added', product: { product_id: 'N', product_name: 'n', quantity: 1e20, timestamp } }),
    reason: 'invalid_event',
  },
  {
    name: 'a quantity as text',
    data: () => json(quantityChanged({ product_id: 'N', quantity_delta: '5', timestamp })),
    reason: 'invalid_event',
  },
  {
    name: '31 February',
    data: () => json(quantityChanged({ product_id: 'N', quantity_delta: 1, timestamp: '2026-02-31T00:00:00Z' })),
    reason: 'invalid_event',
  },
  {
    name: 'year 0000',
    data: () => json(quantityChanged({ product_id: 'N', quantity_delta: 1, timestamp: '0000-01-01T00:00:00Z' })),
    reason: 'invalid_event',
  },
  {
    name: 'offset +99:99',
    data: () => json(quantityChanged({ product_id: 'N', quantity_delta: 1, timestamp: '2024-01-01T00:00:00+99:99' })),
    reason: 'invalid_event',
  },
  {
    name: 'a time far ahead',
    data: () => json(quantityChanged({ product_id: 'N', quantity_delta: 1, timestamp: '2099-01-01T00:00:00Z' })),
    reason: 'invalid_event',
  },
  {
    name: 'a time as a number',
    data: () => json(quantityChanged({ product_id: 'N', quantity_delta: 1, timestamp: 1714644000000 })),
    reason: 'invalid_event',
  },
  {
    name: 'an empty SKU',
    data: () => json(quantityChanged({ product_id: '', quantity_delta: 1, timestamp })),
    reason: 'invalid_event',
  },
  {
    name: 'a SKU with NUL',
    data: () => json(quantityChanged({ product_id: 'A\u0000B', quantity_delta: 1, timestamp })),
    reason: 'invalid_event',
  },
  {
    name: 'a SKU of 200 characters',
    data: () => json(quantityChanged({ product_id: 'S'.repeat(200), quantity_delta: 1, timestamp })),
    reason: 'invalid_event',
  },
  {
    name: 'an order without lines',
    data: () => json({ event_type: 'order_placed', order_id: 'O1', lines: [], occurred_at: timestamp }),
    reason: 'invalid_event',
  },
  {
    name: 'order lines as text',
    data: () => json({ event_type: 'order_placed', order_id: 'O1', lines: 'A x 1', occurred_at: timestamp }),
    reason: 'invalid_event',
  },
  {
    name: 'a negative unit price',
    data: () =>
      json({
        event_type: 'order_placed',
        order_id: 'O1',
        lines: [{ sku: 'A', quantity: 1, unit_price: '-1' }],
        occurred_at: timestamp,
      }),
    reason: 'invalid_event',
  },
  {
    name: 'a unit price as words',
    data: () =>
      json({
        event_type: 'order_placed',
        order_id: 'O1',
        lines: [{ sku: 'A', quantity: 1, unit_price: 'ten' }],
        occurred_at: timestamp,
      }),
    reason: 'invalid_event',
  },
  {
    name: 'a reason too long',
    data: () => json({ event_type: 'stock_adjusted', sku: 'A', quantity: 1, reason: 'r'.repeat(3000) }),
    reason: 'invalid_event',
  },
  {
    name: 'a restock without cost',
    data: () => json({ event_type: 'restock_received', sku: 'A', quantity: 1 }),
    reason: 'invalid_event',
  },
  {
    name: 'a KPL magic with garbage',
    data: () => Buffer.concat([Buffer.from([0xf3, 0x89, 0x9a, 0xc2]), Buffer.from('garbage-garbage-garbage')]),
    reason: 'kpl_bad_checksum',
  },
  {
    name: 'a KPL aggregate with a wrong checksum',
    data: async () => {
      const aggregate = await aggregateOneWithLibrary([{ partitionKey: 'K', data: json(added('KPL-X')) }]);
      aggregate[aggregate.length - 1] ^= 0xff;
      return aggregate;
    },
    reason: 'kpl_bad_checksum',
  },
  {
    name: 'a truncated KPL aggregate',
    data: async () =>
      (await aggregateOneWithLibrary([{ partitionKey: 'K', data: json(added('KPL-Y')) }])).subarray(0, 12),
    // Shorter than a KPL header and checksum: read as a plain record, whose magic bytes are not UTF-8.
    reason: 'not_utf8',
  },
  {
    name: 'a KPL user record that is not JSON, between good ones',
    data: () => Buffer.from('{oops'),
    reason: 'not_json',
    kpl: true,
  },
  {
    name: 'a KPL user record with 31 February, between good ones',
    data: () => json(quantityChanged({ product_id: 'N', quantity_delta: 1, timestamp: '2026-02-31T00:00:00Z' })),
    reason: 'invalid_event',
    kpl: true,
  },
  {
    name: 'a KPL user record with an unknown type, between good ones',
    data: () => json({ event_type: 'teleport' }),
    reason: 'unknown_event_type',
    kpl: true,
  },
  {
    name: 'a KPL user record that is an array, between good ones',
    data: () => json([1, 2]),
    reason: 'not_an_object',
    kpl: true,
  },
];

describe('Kinesis records', () => {
  const sent = new Map<string, { sequenceNumber: string; subSequence: number; goods: string[] }>();
  let deadLetters: { sequenceNumber: string; subSequence: number; reason: string; detail: string }[] = [];

  beforeAll(async () => {
    for (const [index, record] of RECORDS.entries()) {
      const before = `REC-${index}-A`;
      const after = `REC-${index}-B`;
      if (record.kpl) {
        const aggregate = await aggregateOneWithLibrary([
          { partitionKey: before, data: json(added(before)) },
          { partitionKey: 'bad', data: await record.data() },
          { partitionKey: after, data: json(added(after)) },
        ]);
        const [sequenceNumber] = await stack.publisher.publishRaw([{ data: aggregate, partitionKey: before }]);
        sent.set(record.name, { sequenceNumber, subSequence: 1, goods: [before, after] });
      } else {
        const sequenceNumbers = await stack.publisher.publishRaw([
          { data: json(added(before)), partitionKey: before },
          { data: await record.data(), partitionKey: 'bad' },
          { data: json(added(after)), partitionKey: after },
        ]);
        sent.set(record.name, { sequenceNumber: sequenceNumbers[1], subSequence: 0, goods: [before, after] });
      }
    }
    const last = `REC-${RECORDS.length - 1}-B`;
    await eventually(
      async () => ((await stack.get(`/api/v1/stock/${last}`)).status === 200 ? true : undefined),
      30_000,
    );
    deadLetters = await eventually(async () => {
      const page = await call('GET', '/api/v1/dead-letters?source=live&limit=500');
      return page.body.items.length >= RECORDS.length ? page.body.items : undefined;
    });
  }, 120_000);

  it.each(RECORDS.map((record) => [record.name, record] as const))(
    'dead-letters %s with its reason, and the good records around it apply',
    async (name, record) => {
      const { sequenceNumber, subSequence, goods } = sent.get(name)!;
      const letter = deadLetters.find(
        (item) => item.sequenceNumber === sequenceNumber && item.subSequence === subSequence,
      );
      expect(letter).toMatchObject({ reason: record.reason });
      // eslint-disable-next-line no-control-regex -- the detail must hold no control character
      expect(letter!.detail).not.toMatch(/[\u0000-\u001f]/);
      for (const sku of goods) expect((await stack.get(`/api/v1/stock/${sku}`)).status).toBe(200);
    },
  );
});

describe('replay CSV rows', () => {
  const origin = { file: '/data/by-day/2011-01-04.csv', line: 2 };
  const retailRow = (overrides: Partial<Record<number, string>> = {}) => {
    const row = ['536365', '85123A', 'MUG', '6', '2011-01-04 10:00:00', '2.55', '17850.0', 'United Kingdom'];
    for (const [index, value] of Object.entries(overrides)) row[Number(index)] = value as string;
    return row;
  };
  const cafeRow = (overrides: Partial<Record<number, string>> = {}) => {
    const row = ['04/01/2024 10:00', 'Chesterfield', 'Ann Smith', 'Latte - 3.10', '3.10', 'card', '4111111111111111'];
    for (const [index, value] of Object.entries(overrides)) row[Number(index)] = value as string;
    return row;
  };

  it.each([
    ['too few fields', retailRow().slice(0, 7), 'bad_layout'],
    ['31 February', retailRow({ 4: '2011-02-31 10:00:00' }), 'bad_date'],
    ['a month 13', retailRow({ 4: '2011-13-01 10:00:00' }), 'bad_date'],
    ['year 0000', retailRow({ 4: '0000-01-04 10:00:00' }), 'bad_date'],
    ['a quantity in words', retailRow({ 3: 'six' }), 'bad_number'],
    ['a quantity of 0', retailRow({ 3: '0' }), 'bad_number'],
    ['a negative price', retailRow({ 5: '-2.55' }), 'bad_number'],
    ['a price of 1e3', retailRow({ 5: '1e3' }), 'bad_number'],
    ['a bad-debt adjustment', retailRow({ 0: 'A563185' }), 'bad_debt_adjustment'],
    ['a postage code', retailRow({ 1: 'POST' }), 'non_product_code'],
  ])('online retail: refuses a row with %s, and converts the good row after it', (_, row, reason) => {
    const sut = new OnlineRetailConverter(DEFAULT_REPLAY_OPTIONS);
    expect(sut.convert(row, origin)).toBe(reason);
    sut.convert(retailRow(), { ...origin, line: 3 });
    expect(sut.flush().map((event) => event.event_type)).toContain('order_placed');
  });

  it.each([
    ['31 February', cafeRow({ 0: '31/02/2024 10:00' }), 'bad_date'],
    ['a US date', cafeRow({ 0: '2024-01-04 10:00' }), 'bad_date'],
    ['an empty basket', cafeRow({ 3: '' }), 'empty_basket'],
    ['a total that does not add up', cafeRow({ 4: '9.99' }), 'total_mismatch'],
    ['a store with a newline', cafeRow({ 1: 'Chester\nfield' }), 'bad_layout'],
  ])('café: refuses a row with %s, and converts the good row after it', (_, row, reason) => {
    const sut = new CafeConverter(DEFAULT_REPLAY_OPTIONS);
    expect(sut.convert(row, origin)).toBe(reason);
    const good = sut.convert(cafeRow(), { ...origin, line: 3 });
    expect(Array.isArray(good)).toBe(true);
    expect(JSON.stringify(good)).not.toContain('4111111111111111');
    expect(JSON.stringify(good)).not.toContain('Ann Smith');
  });

  it.each([
    ['not JSON', '{"event_type":', 'not_json'],
    [
      '31 February',
      JSON.stringify(quantityChanged({ product_id: 'A', quantity_delta: 1, timestamp: '2026-02-31T00:00:00Z' })),
      'invalid_event',
    ],
    ['an unknown type', '{"event_type":"nope"}', 'unknown_event_type'],
  ])('events-jsonl: refuses a line with %s, and converts the good line after it', (_, line, reason) => {
    const sut = new EventsJsonlConverter(() => Date.parse('2024-06-01T00:00:00Z'));
    expect(sut.convert([line], origin)).toBe(reason);
    expect(sut.convert([JSON.stringify(added('JSONL-OK'))], { ...origin, line: 3 })).toHaveLength(1);
  });
});

describe('environment', () => {
  const GOOD_SECRET = 'k3J9x-Qw2Lm8Zp4Rt7Yv1Nb6Hc5Gd0Fs_Ue';

  it.each([
    ['JWT_SECRET', 'short-secret'],
    ['JWT_SECRET', 'stockwall-development-secret-do-not-use-in-production'],
    ['JWT_SECRET', 'local-compose-only-secret-change-me'],
    ['JWT_SECRET', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
    ['ACCESS_TOKEN_MAX_TTL_SECONDS', '0'],
    ['ACCESS_TOKEN_MAX_TTL_SECONDS', '1e6'],
    ['DISPLAY_TOKEN_MAX_TTL_DAYS', '99999'],
    ['TRUST_PROXY', 'loopback'],
    ['TRUST_PROXY', '10.0.0.0/99'],
    ['TRUST_PROXY', '11'],
    ['JWKS_URL', 'ftp://idp.example/keys'],
    ['PORT', '65536'],
    ['PORT', '80\n81'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['REDIS_PREFIX', 'sw:\nx'],
    ['RATE_LIMIT_MAX', '-1'],
    ['LIVE_SUBSCRIBE_BURST', '0'],
    ['LIVE_SUBSCRIBES_PER_MINUTE', 'many'],
    ['MAX_EVENT_BYTES', '99999999'],
    ['CORS_ORIGINS', 'javascript:alert(1)'],
    ['NODE_ENV', 'staging'],
  ])('refuses %s=%j with one line naming it, and starts with the good value', (variable, value) => {
    let problems: string[] = [];
    try {
      loadConfig({ JWT_SECRET: GOOD_SECRET, JWKS_ISSUER: 'https://idp.example/', [variable]: value });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${variable}: `))]);
    expect(() => loadConfig({ JWT_SECRET: GOOD_SECRET })).not.toThrow();
  });
});

import { callAsAdmin, expectNamed, FROM, useCorpusStack, TO } from './support/bad-input';
import { eventually } from './support/test-stack';

/**
 * The bad-input corpus, the API's side: REST query strings, path parameters and bodies, and /live
 * messages, each case with its exact refusal, and beside each the good input that must still work.
 * Kinesis records are in bad-input-records, replay rows and the environment in bad-input-offline.
 */
const corpus = useCorpusStack();

const call = (method: string, path: string, body?: unknown, raw?: { text: string; type: string }) =>
  callAsAdmin(corpus.stack, method, path, body, raw);

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
      (await corpus.stack.get('/api/v1/stock/CORPUS-W')).body.onHand === goodWrites ? true : undefined,
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
      const socket = await corpus.stack.connectLive();
      const ack = await socket.emitWithAck('subscribe', message as never);
      expect(ack).toEqual({ ok: false, error: { code: 'bad_request', message: expect.any(String) } });
      expect((await socket.emitWithAck('subscribe', { channels: ['stock'] })).ok).toBe(true);
      socket.disconnect();
    },
  );

  it.each(['constructor', '__proto__', 'toString', 'stock.delta'])(
    'ignores the unknown message %s and keeps serving the socket',
    async (name) => {
      const socket = await corpus.stack.connectLive();
      (socket as unknown as { emit: (event: string, ...args: unknown[]) => void }).emit(name, { channels: ['stock'] });
      const ack = await socket.emitWithAck('subscribe', { channels: ['stock'] });
      expect(ack.ok).toBe(true);
      expect(socket.connected).toBe(true);
      socket.disconnect();
    },
  );
});

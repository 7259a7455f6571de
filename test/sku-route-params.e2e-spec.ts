import { eventually, TestStack } from './support/test-stack';

/** Every SKU the wire contract and POST /products accept can be read back by every `:sku` route. */
const SKUS = ['P_1', 'Café crème 250 g', 'ÄÖÜ-ß', 'A/B:C.d~e', 'x'.repeat(128)];

describe('SKU route parameters follow the wire identifier rule', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 1 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.token('admin')}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  it.each(SKUS)('creates %s and reads it back on every :sku route', async (sku) => {
    const path = encodeURIComponent(sku);
    expect((await call('POST', '/api/v1/products', { sku, name: 'Odd id', quantity: 4 })).status).toBe(202);

    const stock = await eventually(async () => {
      const response = await call('GET', `/api/v1/stock/${path}`);
      return response.status === 200 ? response.body : undefined;
    });
    expect(stock).toMatchObject({ sku, onHand: 4 });
    expect((await call('GET', `/api/v1/stock/${path}/forecast`)).status).toBe(200);

    const history = await eventually(
      async () => {
        const response = await call('GET', `/api/v1/products/${path}/history`);
        expect(response.status).toBe(200);
        return response.body.items.length > 0 ? response.body : undefined;
      },
      20_000,
      `the history of ${sku}`,
    );
    expect(history.items[0]).toMatchObject({ eventType: 'product_added', onHand: 4 });

    const reorder = await call('PUT', `/api/v1/products/${path}/reorder-point`, { reorderPoint: 2 });
    expect(reorder).toMatchObject({ status: 202, body: { sku } });
    const removed = await call('DELETE', `/api/v1/products/${path}`);
    expect(removed).toMatchObject({ status: 202, body: { sku } });
  });

  it.each([
    ['a control character', 'P%011', /control characters/],
    ['more than 128 characters', 'x'.repeat(129), /at most 128/],
    ['only spaces', '%20%20', /must not be empty/],
  ])('refuses a SKU with %s on every :sku route with a 400 saying why', async (_, path, reason) => {
    for (const [method, route, body] of [
      ['GET', `/api/v1/stock/${path}`],
      ['GET', `/api/v1/stock/${path}/forecast`],
      ['GET', `/api/v1/products/${path}/history`],
      ['PUT', `/api/v1/products/${path}/reorder-point`, { reorderPoint: 2 }],
      ['DELETE', `/api/v1/products/${path}`],
    ] as const) {
      const response = await call(method, route, body);
      expect({ route: `${method} ${route}`, status: response.status }).toEqual({
        route: `${method} ${route}`,
        status: 400,
      });
      expect(JSON.stringify(response.body.message)).toMatch(reason);
    }
  });
});

import * as jwt from 'jsonwebtoken';
import { requireJwtSecret } from '@stockwall/config';
import type { Role } from '@stockwall/contracts';
import { signAccessToken } from '@stockwall/platform';
import { eventually, TestStack } from './support/test-stack';
import { testJwtSecret } from './support/test-secret';

const SECRET = testJwtSecret();
const nowSeconds = () => Math.floor(Date.now() / 1000);

type Caller = Role | null;
const CALLERS: Caller[] = [null, 'viewer', 'warehouse', 'admin'];
const ALLOWED_ORIGIN = 'https://wall.example.com';

interface RouteCase {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  least: Role;
  body?: unknown;
  /** The answer once the role is enough. */
  success: number;
}

const ROUTES: RouteCase[] = [
  { method: 'GET', path: '/api/v1/stock', least: 'viewer', success: 200 },
  { method: 'GET', path: '/api/v1/stock/NOPE', least: 'viewer', success: 404 },
  { method: 'GET', path: '/api/v1/kpis/live', least: 'viewer', success: 200 },
  { method: 'GET', path: '/api/v1/dead-letters', least: 'admin', success: 200 },
  {
    method: 'POST',
    path: '/api/v1/adjustments',
    least: 'warehouse',
    body: { sku: 'AUTH-1', delta: 2, reason: 'found behind the shelf' },
    success: 202,
  },
  {
    method: 'POST',
    path: '/api/v1/products',
    least: 'admin',
    body: { sku: 'AUTH-2', name: 'Kettle', quantity: 3 },
    success: 202,
  },
  { method: 'DELETE', path: '/api/v1/products/AUTH-2', least: 'admin', success: 202 },
  {
    method: 'PUT',
    path: '/api/v1/products/AUTH-2/reorder-point',
    least: 'admin',
    body: { reorderPoint: 5 },
    success: 202,
  },
  { method: 'GET', path: '/api/v1/display-tokens', least: 'admin', success: 200 },
  { method: 'POST', path: '/api/v1/display-tokens', least: 'admin', body: { name: 'Matrix' }, success: 201 },
  {
    method: 'DELETE',
    path: '/api/v1/display-tokens/9b2f6d5e-3f4a-4c1e-9a57-0c6f0b1d2e3f',
    least: 'admin',
    success: 404,
  },
];

const RANK: Record<Role, number> = { viewer: 0, warehouse: 1, admin: 2 };

describe('Auth and HTTP hardening', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({
      shards: 1,
      workers: 0,
      env: { RATE_LIMIT_MAX: '200', RATE_LIMIT_TTL_SECONDS: '60', CORS_ORIGINS: ALLOWED_ORIGIN, BODY_LIMIT_KB: '4' },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function call(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
  }

  const matrix = ROUTES.flatMap((route) =>
    CALLERS.map((caller) => [`${route.method} ${route.path}`, caller ?? 'no token', route, caller] as const),
  );
  it.each(matrix)('%s as %s', async (_, __, route, caller) => {
    const response = await call(route.method, route.path, caller && stack.token(caller), route.body);
    const expected = caller === null ? 401 : RANK[caller] >= RANK[route.least] ? route.success : 403;
    expect(response.status).toBe(expected);
    expect(response.body).toMatchObject(
      expected >= 400 ? { statusCode: expected, message: expect.anything(), correlationId: expect.any(String) } : {},
    );
    expect(JSON.stringify(response.body ?? {})).not.toMatch(/\bat .+\.(ts|js):\d+/);
  });

  it.each([
    ['garbage', 'not-a-token'],
    ['wrong secret', signAccessToken('another-secret-0123456789', { sub: 'eve', role: 'admin' })],
    [
      'expired',
      jwt.sign({ role: 'admin', sub: 'old', exp: Math.floor(Date.now() / 1000) - 60, iss: 'stockwall' }, SECRET),
    ],
    ['wrong issuer', jwt.sign({ role: 'admin' }, SECRET, { subject: 'x', issuer: 'other' })],
    ['unsigned', jwt.sign({ role: 'admin', sub: 'x', iss: 'stockwall' }, '', { algorithm: 'none' })],
    ['never-expiring', jwt.sign({ role: 'admin', sub: 'x', jti: 'forever', iss: 'stockwall' }, SECRET)],
    ['id-less', jwt.sign({ role: 'admin' }, SECRET, { subject: 'x', issuer: 'stockwall', expiresIn: 600 })],
    [
      'too long-lived',
      jwt.sign({ role: 'admin' }, SECRET, { subject: 'x', issuer: 'stockwall', expiresIn: '90d', jwtid: 'long' }),
    ],
    [
      'backdated long-lived',
      jwt.sign(
        {
          role: 'admin',
          sub: 'x',
          jti: 'old',
          iss: 'stockwall',
          iat: nowSeconds() - 600,
          exp: nowSeconds() + 86_400 * 30,
        },
        SECRET,
      ),
    ],
    [
      'admin display token',
      jwt.sign({ role: 'admin', kind: 'display' }, SECRET, {
        subject: 'display:x',
        jwtid: 'forged',
        issuer: 'stockwall',
      }),
    ],
  ])('refuses a %s token with 401 on REST and on the /live handshake', async (_, token) => {
    const response = await call('GET', '/api/v1/stock', token);
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(/Invalid token/);
    await expect(stack.connectLive(token)).rejects.toThrow('unauthorized');
  });

  it('issues viewer-only display tokens that work on REST and /live until revoked, then closes their sockets', async () => {
    const created = await call('POST', '/api/v1/display-tokens', stack.token('admin'), {
      name: 'Hall A',
      ttlDays: 300,
    });
    expect(created.status).toBe(201);
    const { id, token, expiresAt } = created.body as { id: string; token: string; expiresAt: string };
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(299 * 86_400_000);
    expect((await call('GET', '/api/v1/stock', token)).status).toBe(200);
    expect((await call('POST', '/api/v1/adjustments', token, { sku: 'X', delta: 1, reason: 'r' })).status).toBe(403);
    const socket = await stack.connectLive(token);
    expect((await socket.emitWithAck('subscribe', { channels: ['stock'] })).ok).toBe(true);
    const listed = await call('GET', '/api/v1/display-tokens', stack.token('admin'));
    expect(listed.body).toEqual(expect.arrayContaining([expect.objectContaining({ id, name: 'Hall A' })]));
    expect(JSON.stringify(listed.body)).not.toContain(token);

    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect((await call('DELETE', `/api/v1/display-tokens/${id}`, stack.token('admin'))).status).toBe(204);

    expect(await disconnected).toBe('io server disconnect');
    const refused = await call('GET', '/api/v1/stock', token);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toMatch(/revoked/);
    await expect(stack.connectLive(token)).rejects.toThrow('unauthorized');
  });

  it('refuses display tokens longer than DISPLAY_TOKEN_MAX_TTL_DAYS', async () => {
    const response = await call('POST', '/api/v1/display-tokens', stack.token('admin'), {
      name: 'Hall B',
      ttlDays: 400,
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toEqual([expect.stringMatching(/^ttlDays: must be at most 365/)]);
  });

  it('revokes an access token by the token or by its id: REST and /live refuse it and its sockets close', async () => {
    const [first, second] = [stack.token('viewer'), stack.token('viewer')];
    const socket = await stack.connectLive(first);
    expect((await socket.emitWithAck('subscribe', { channels: ['kpis'] })).ok).toBe(true);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect((await call('POST', '/api/v1/auth/revocations', stack.token('warehouse'), { token: first })).status).toBe(
      403,
    );
    const revoked = await call('POST', '/api/v1/auth/revocations', stack.token('admin'), { token: first });
    expect(revoked.status).toBe(200);
    expect(revoked.body.id).toBe((jwt.decode(first) as { jti: string }).jti);
    expect(await disconnected).toBe('io server disconnect');
    const refused = await call('GET', '/api/v1/stock', first);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toMatch(/token was revoked/);
    await expect(stack.connectLive(first)).rejects.toThrow('unauthorized');

    expect((await call('GET', '/api/v1/stock', second)).status).toBe(200);
    const byId = await call('POST', '/api/v1/auth/revocations', stack.token('admin'), {
      id: (jwt.decode(second) as { jti: string }).jti,
    });
    expect(byId.status).toBe(200);
    expect((await call('GET', '/api/v1/stock', second)).status).toBe(401);
    expect((await call('GET', '/api/v1/stock', stack.token('viewer'))).status).toBe(200);
  });

  it('closes a socket once its token expires', async () => {
    const shortLived = signAccessToken(requireJwtSecret(stack.config), { sub: 'brief', role: 'viewer' }, 1);
    const socket = await stack.connectLive(shortLived);
    const reason = await eventually(
      async () => (socket.connected ? undefined : 'closed'),
      12_000,
      'the expired socket to close',
    );
    expect(reason).toBe('closed');
  });

  it('sends security headers, CORS for configured origins only, and refuses oversized or malformed bodies with JSON', async () => {
    const allowed = await call('GET', '/api/v1/stock', stack.token('viewer'), undefined, { origin: ALLOWED_ORIGIN });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get('x-content-type-options')).toBe('nosniff');
    expect(allowed.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(allowed.headers.get('x-powered-by')).toBeNull();
    const other = await call('GET', '/api/v1/stock', stack.token('viewer'), undefined, {
      origin: 'https://evil.example',
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    const big = await call('POST', '/api/v1/products', stack.token('admin'), {
      sku: 'BIG',
      name: 'x'.repeat(10_000),
      quantity: 1,
    });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ statusCode: 413, correlationId: expect.any(String) });
    const malformed = await call('POST', '/api/v1/products', stack.token('admin'), '{"sku": ');
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
    const badParam = await call('GET', `/api/v1/stock/${'x'.repeat(200)}`, stack.token('viewer'));
    expect(badParam.status).toBe(400);
  });

  // Last: it spends the rate budget of this address.
  it('rate limits a client that floods the API with a JSON 429, and keeps health checks out of it', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 250 && !statuses.includes(429); index++) {
      statuses.push((await call('GET', '/api/v1/stock', stack.token('viewer'))).status);
    }
    expect(statuses).toContain(429);
    const limited = await call('GET', '/api/v1/stock', stack.token('viewer'));
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ statusCode: 429, correlationId: expect.any(String) });
    expect((await call('GET', '/health/live', null)).status).toBe(200);
  });
});

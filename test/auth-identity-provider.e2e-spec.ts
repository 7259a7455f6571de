import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import * as jwt from 'jsonwebtoken';
import { TestStack } from './support/test-stack';

const ISSUER = 'https://idp.example.test/';

describe('Tokens from an identity provider (JWKS_URL)', () => {
  let stack: TestStack;
  let keyServer: Server;
  let privateKey: KeyLike;
  let otherKey: KeyLike;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    keyServer = createServer((_, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    const { port } = keyServer.address() as AddressInfo;
    stack = await TestStack.start({
      shards: 1,
      workers: 0,
      env: { JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, JWKS_ISSUER: ISSUER, JWKS_AUDIENCE: 'stockwall' },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => keyServer?.close(resolve));
  });

  function idpToken(claims: Record<string, unknown>, options: { key?: KeyLike; issuer?: string; ttl?: string } = {}) {
    return new SignJWT({ role: 'viewer', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setSubject('ann@example.test')
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience('stockwall')
      .setIssuedAt()
      .setExpirationTime(options.ttl ?? '10m')
      .sign(options.key ?? privateKey);
  }

  async function status(token: string): Promise<number> {
    const response = await fetch(`${stack.apiUrl}/api/v1/stock`, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    return response.status;
  }

  it('accepts a token signed by a key of the set, on REST and /live, with its role', async () => {
    const token = await idpToken({ jti: 'idp-1' });
    expect(await status(token)).toBe(200);
    const socket = await stack.connectLive(token);
    expect((await socket.emitWithAck('subscribe', { channels: ['kpis'] })).ok).toBe(true);
    socket.disconnect();
    const adjust = await fetch(`${stack.apiUrl}/api/v1/adjustments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sku: 'A', delta: 1, reason: 'r' }),
    });
    expect(adjust.status).toBe(403);
  });

  it.each([
    ['signed by another key', () => idpToken({}, { key: otherKey })],
    ['from another issuer', () => idpToken({}, { issuer: 'https://evil.example/' })],
    ['living longer than the cap', () => idpToken({}, { ttl: '30d' })],
    ['with an unknown role', () => idpToken({ role: 'root' })],
    // The key set never checks a symmetric token: one "signed" with the public key's text is refused.
    [
      'HS256 with the issuer',
      async () =>
        jwt.sign({ role: 'admin', sub: 'x', jti: 'y', iss: ISSUER }, 'public-key-as-secret-0123456789abcdef', {
          expiresIn: 60,
        }),
    ],
  ])('refuses a token %s', async (_, make) => {
    expect(await status(await make())).toBe(401);
  });

  it('revokes an identity provider token by its jti', async () => {
    const token = await idpToken({ jti: 'idp-revoked' });
    expect(await status(token)).toBe(200);
    const revoked = await fetch(`${stack.apiUrl}/api/v1/auth/revocations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.token('admin')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'idp-revoked' }),
    });
    expect(revoked.status).toBe(200);
    expect(await status(token)).toBe(401);
  });
});

import { randomUUID } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import { AccessTokenClaims, Role, ROLES } from '@stockwall/contracts';

export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

/**
 * Signs an HS256 access token; `ttl` in seconds or like '12h', '30d'. Every token carries an
 * expiry and an id (`jti`), so it can be revoked before it expires (docs/security.md).
 */
export function signAccessToken(secret: string, claims: AccessTokenClaims, ttl: string | number = '12h'): string {
  return jwt.sign({ role: claims.role }, secret, {
    algorithm: 'HS256',
    subject: claims.sub,
    expiresIn: ttl as jwt.SignOptions['expiresIn'],
    issuer: 'stockwall',
    jwtid: randomUUID(),
  });
}

export function verifyAccessToken(secret: string, token: string): AccessTokenClaims {
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: 'stockwall' });
  } catch (error) {
    throw new InvalidTokenError((error as Error).message);
  }
  if (typeof payload === 'string' || !ROLES.includes(payload.role as Role) || typeof payload.sub !== 'string') {
    throw new InvalidTokenError('token has no valid role or subject');
  }
  if (typeof payload.exp !== 'number') throw new InvalidTokenError('token has no expiry');
  return { sub: payload.sub, role: payload.role as Role };
}

/**
 * The token of an `Authorization` header: `Bearer <token>` or a bare token. Only a header: a
 * token in a URL ends up in access logs and browser history, one in a cookie is sent by any page.
 */
export function extractBearer(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 8_192) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  return match ? match[1] : /^\S+$/.test(value) ? value : null;
}

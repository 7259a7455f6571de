import * as jwt from 'jsonwebtoken';
import { AccessTokenClaims, Role, ROLES } from '@stockwall/contracts';

export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

/** Signs an HS256 access token; `ttl` like '12h', '30d' or seconds. */
export function signAccessToken(secret: string, claims: AccessTokenClaims, ttl: string | number = '12h'): string {
  return jwt.sign({ role: claims.role }, secret, {
    algorithm: 'HS256',
    subject: claims.sub,
    expiresIn: ttl as jwt.SignOptions['expiresIn'],
    issuer: 'stockwall',
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
  return { sub: payload.sub, role: payload.role as Role };
}

/** Accepts `Bearer <token>` or a bare token. */
export function extractBearer(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  const match = /^Bearer\s+(.+)$/i.exec(value);
  return match ? match[1] : value;
}

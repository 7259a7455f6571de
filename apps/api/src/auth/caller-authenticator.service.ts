import { Inject, Injectable } from '@nestjs/common';
import { InvalidTokenError, extractBearer, SessionStore, sessionRevocationId } from '@stockwall/platform';
import { readCookie, SESSION_COOKIE } from './session-cookie';
import type { VerifiedToken } from './token-policy';
import { TokenVerifier } from './token-verifier.service';

export const SESSION_STORE = Symbol('SESSION_STORE');

/** What identifies a caller on REST and on the /live handshake. */
export interface CallerCredentials {
  authorization?: unknown;
  /** A token the socket client passes in its handshake `auth`. */
  handshakeToken?: unknown;
  cookie?: unknown;
}

/**
 * A bearer token when one is given (API clients, wall screens), otherwise the console's session
 * cookie. Throws InvalidTokenError with a reason a caller may see; null when neither is present.
 */
@Injectable()
export class CallerAuthenticator {
  constructor(
    private readonly tokens: TokenVerifier,
    @Inject(SESSION_STORE) private readonly sessions: SessionStore,
  ) {}

  async authenticate(credentials: CallerCredentials): Promise<VerifiedToken | null> {
    const token = extractBearer(credentials.handshakeToken) ?? extractBearer(credentials.authorization);
    if (token) return this.tokens.verify(token);
    const sessionId = readCookie(credentials.cookie, SESSION_COOKIE);
    if (!sessionId) return null;
    const session = await this.sessions.find(sessionId);
    if (!session) throw new InvalidTokenError('session ended or expired: sign in again');
    return {
      sub: session.email,
      role: session.role,
      kind: 'session',
      tokenId: null,
      revocationId: sessionRevocationId(sessionId),
      expiresAt: session.expiresAt,
      userId: session.userId,
    };
  }
}

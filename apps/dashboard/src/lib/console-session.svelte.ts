import type { Role } from '@stockwall/contracts';
import { readClaims, TOKEN_STORAGE_KEY } from './auth-token';
import { ConsoleApiError, consoleRequest, type ConsoleAuth } from './console-api';

export interface SessionUser {
  id: string;
  email: string;
  role: Role;
}

interface SessionBody {
  user: SessionUser;
  expiresAt: string;
}

const RANK: Record<Role, number> = { viewer: 0, warehouse: 1, admin: 2 };

/** Whether `role` may do what `needed` may (viewer < warehouse < admin). */
export function roleAtLeast(role: Role | undefined | null, needed: Role): boolean {
  return role ? RANK[role] >= RANK[needed] : false;
}

function storedToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_STORAGE_KEY)?.trim() || null;
  } catch {
    return null;
  }
}

/**
 * Who uses the console: the signed-in user of the session cookie (`GET /api/v1/auth/session`),
 * else the holder of a token this browser keeps (`#token=`, as wall screens and API clients
 * have), read-only unless its role says otherwise.
 */
export class ConsoleSession {
  status = $state<'loading' | 'signed-in' | 'signed-out'>('loading');
  user = $state.raw<SessionUser | null>(null);
  expiresAt = $state<string | null>(null);
  /** Set when the session ended under an open page (disabled, expired). */
  endedMessage = $state<string | null>(null);
  /** The bearer token requests use; null with a cookie session. */
  bearer = $state<string | null>(null);

  /** What requests need: the bearer token (none with a cookie session), and who hears a 401. */
  get auth(): ConsoleAuth {
    return { bearer: this.bearer, onUnauthorized: () => this.#ended('Your session ended: sign in again.') };
  }

  get role(): Role | null {
    return this.user?.role ?? null;
  }

  can(needed: Role): boolean {
    return roleAtLeast(this.user?.role, needed);
  }

  async load(): Promise<void> {
    try {
      const body = await consoleRequest<SessionBody>({ bearer: null }, 'GET', '/api/v1/auth/session');
      this.#signIn(body, null);
      return;
    } catch {
      // No cookie session: a kept token may stand in.
    }
    const token = storedToken();
    const claims = token ? readClaims(token) : {};
    if (token && claims.role && (claims.exp === undefined || claims.exp * 1000 > Date.now())) {
      const name = claims.sub ?? 'token';
      this.#signIn(
        {
          user: { id: name, email: name, role: claims.role },
          expiresAt: claims.exp ? new Date(claims.exp * 1000).toISOString() : '',
        },
        token,
      );
      return;
    }
    this.status = 'signed-out';
  }

  /** Signs in with e-mail and password; throws ConsoleApiError with a message to show. */
  async login(email: string, password: string): Promise<void> {
    try {
      const body = await consoleRequest<SessionBody>({ bearer: null }, 'POST', '/api/v1/auth/login', {
        body: { email, password },
      });
      this.#signIn(body, null);
    } catch (error) {
      if (!(error instanceof ConsoleApiError)) throw error;
      if (error.status === 401) throw new ConsoleApiError(401, 'Wrong e-mail or password.', error.fieldErrors);
      if (error.status === 429) {
        const wait = error.retryAfterSeconds ? ` Try again in ${error.retryAfterSeconds} s.` : ' Try again later.';
        throw new ConsoleApiError(429, `Too many failed sign-ins.${wait}`, {}, error.retryAfterSeconds);
      }
      throw error;
    }
  }

  async logout(): Promise<void> {
    if (this.bearer) {
      try {
        localStorage.removeItem(TOKEN_STORAGE_KEY);
      } catch {
        // Nothing kept.
      }
    } else {
      await consoleRequest({ bearer: null }, 'POST', '/api/v1/auth/logout').catch(() => undefined);
    }
    this.user = null;
    this.bearer = null;
    this.endedMessage = null;
    this.status = 'signed-out';
  }

  #signIn(body: SessionBody, bearer: string | null): void {
    this.bearer = bearer;
    this.user = body.user;
    this.expiresAt = body.expiresAt;
    this.endedMessage = null;
    this.status = 'signed-in';
  }

  #ended(message: string): void {
    if (this.status !== 'signed-in') return;
    this.user = null;
    this.bearer = null;
    this.endedMessage = message;
    this.status = 'signed-out';
  }

  /** The socket said this session is no longer allowed (the user was disabled, the token revoked). */
  endedByServer(reason: string): void {
    this.#ended(`You were signed out (${reason}): sign in again.`);
  }
}

import type { AccessTokenClaims, Role } from '@stockwall/contracts';

export const TOKEN_STORAGE_KEY = 'stockwall.token';

export type TokenSource = 'url' | 'storage';

export interface ResolvedToken {
  token: string;
  source: TokenSource;
  /** Claims read from the token for display only; the server is the one that verifies it. */
  claims: Partial<AccessTokenClaims> & { exp?: number };
}

function readStored(): string | null {
  try {
    return localStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

function store(token: string): void {
  try {
    localStorage.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // Storage can be unavailable (private mode, quota); the token still works for this page load.
  }
}

/** Reads `#token=<jwt>` from the fragment and removes it from the address bar. */
function takeTokenFromHash(): string | null {
  const hash = location.hash.replace(/^#/, '');
  if (!hash) return null;
  const params = new URLSearchParams(hash);
  const token = params.get('token')?.trim();
  if (!token) return null;
  params.delete('token');
  const rest = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  return token;
}

/** Every role, checked both ways against the contract's `Role` union. */
const ROLE_NAMES: Record<Role, true> = { viewer: true, warehouse: true, admin: true };

function isRole(value: unknown): value is Role {
  return typeof value === 'string' && Object.hasOwn(ROLE_NAMES, value);
}

function decodeBase64Url(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

/** Decodes a JWT payload without verifying it, for showing who is signed in and when it expires. */
export function readClaims(token: string): ResolvedToken['claims'] {
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    const raw: unknown = JSON.parse(decodeBase64Url(payload));
    if (!raw || typeof raw !== 'object') return {};
    const { sub, role, exp } = raw as Record<string, unknown>;
    return {
      sub: typeof sub === 'string' ? sub : undefined,
      role: isRole(role) ? role : undefined,
      exp: typeof exp === 'number' ? exp : undefined,
    };
  } catch {
    return {};
  }
}

/** The token from the URL fragment (which is then stored), else the stored one, else null. */
export function resolveToken(): ResolvedToken | null {
  const fromHash = takeTokenFromHash();
  if (fromHash) {
    store(fromHash);
    return { token: fromHash, source: 'url', claims: readClaims(fromHash) };
  }
  const stored = readStored()?.trim();
  return stored ? { token: stored, source: 'storage', claims: readClaims(stored) } : null;
}

export function forgetToken(): void {
  try {
    localStorage.removeItem(TOKEN_STORAGE_KEY);
  } catch {
    // Nothing to forget.
  }
}

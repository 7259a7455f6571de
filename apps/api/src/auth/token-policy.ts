import { ROLES, Role } from '@stockwall/contracts';

/** `session`: a person signed in to the console with the session cookie (not a token). */
export type TokenKind = 'access' | 'display' | 'session';

/** What the API knows about a caller once its token checked out. */
export interface VerifiedToken {
  sub: string;
  role: Role;
  kind: TokenKind;
  /** The display token's id (revocable by deleting its record); null for access tokens. */
  tokenId: string | null;
  /** The token's `jti`, the id the deny-list revokes it by; null only for an identity provider's token without one. */
  revocationId: string | null;
  /** Epoch ms the token stops being valid: every token expires. */
  expiresAt: number;
  /** The account of a console session (absent for tokens). */
  userId?: string;
}

export interface TokenLifetimeLimits {
  /** Longest lifetime of an access token. */
  accessMaxSeconds: number;
  /** Longest lifetime of a display token. */
  displayMaxSeconds: number;
  /** Whether the token must carry a `jti` (tokens Stockwall signs always do). */
  requireId: boolean;
}

export type TokenPolicyResult = { ok: true; token: VerifiedToken } | { ok: false; reason: string };

/** Clock difference allowed between the signer and this process. */
const CLOCK_SKEW_SECONDS = 60;

/**
 * Checks the claims of a token whose signature and issuer were already verified. Every token
 * must expire, and within the configured lifetime: a token signed for longer (by an old CLI or a
 * leaked secret) is refused. Display tokens live for months on unattended screens, so they may
 * only ever read (viewer) and must carry an id that can be revoked.
 */
export function applyTokenPolicy(
  payload: Record<string, unknown>,
  limits: TokenLifetimeLimits,
  nowMs: number = Date.now(),
): TokenPolicyResult {
  const { sub, role, kind, jti, exp, iat } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256)
    return { ok: false, reason: 'token has no subject' };
  if (typeof role !== 'string' || !ROLES.includes(role as Role))
    return { ok: false, reason: 'token has no valid role' };
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return { ok: false, reason: 'token has no expiry (exp)' };
  if (exp * 1000 <= nowMs) return { ok: false, reason: 'token expired' };
  if (jti !== undefined && (typeof jti !== 'string' || jti.length === 0 || jti.length > 128))
    return { ok: false, reason: 'token has an invalid id (jti)' };
  if (jti === undefined && limits.requireId) return { ok: false, reason: 'token has no id (jti)' };
  if (kind !== undefined && kind !== 'display') return { ok: false, reason: 'token has an unknown kind' };
  const maxSeconds = kind === 'display' ? limits.displayMaxSeconds : limits.accessMaxSeconds;
  // Lifetime from its issue time; a token without one may not reach past the limit from now.
  const issuedAt = typeof iat === 'number' && Number.isFinite(iat) ? iat : nowMs / 1000;
  if (issuedAt > nowMs / 1000 + CLOCK_SKEW_SECONDS) return { ok: false, reason: 'token is issued in the future' };
  if (exp - issuedAt > maxSeconds + CLOCK_SKEW_SECONDS) {
    return { ok: false, reason: `token lives longer than the allowed ${maxSeconds} s` };
  }
  const expiresAt = exp * 1000;
  const revocationId = typeof jti === 'string' ? jti : null;
  if (kind === undefined) {
    return { ok: true, token: { sub, role: role as Role, kind: 'access', tokenId: null, revocationId, expiresAt } };
  }
  if (role !== 'viewer') return { ok: false, reason: 'a display token may only carry the viewer role' };
  if (revocationId === null) return { ok: false, reason: 'a display token needs an id' };
  return { ok: true, token: { sub, role: 'viewer', kind: 'display', tokenId: revocationId, revocationId, expiresAt } };
}

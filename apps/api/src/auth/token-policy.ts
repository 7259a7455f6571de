import { ROLES, Role } from '@stockwall/contracts';

export type TokenKind = 'access' | 'display';

/** What the API knows about a caller once its token checked out. */
export interface VerifiedToken {
  sub: string;
  role: Role;
  kind: TokenKind;
  /** The display token's id (revocable); null for short-lived access tokens. */
  tokenId: string | null;
  /** Epoch ms the token stops being valid, or null when it never expires. */
  expiresAt: number | null;
}

export type TokenPolicyResult = { ok: true; token: VerifiedToken } | { ok: false; reason: string };

/**
 * Checks the claims of a token whose signature, issuer and expiry were already verified.
 * Display tokens live for months on unattended screens, so they may only ever read (viewer)
 * and must carry an id that can be revoked.
 */
export function applyTokenPolicy(payload: Record<string, unknown>): TokenPolicyResult {
  const { sub, role, kind, jti, exp } = payload;
  if (typeof sub !== 'string' || sub.length === 0) return { ok: false, reason: 'token has no subject' };
  if (typeof role !== 'string' || !ROLES.includes(role as Role))
    return { ok: false, reason: 'token has no valid role' };
  const expiresAt = typeof exp === 'number' ? exp * 1000 : null;
  if (kind === undefined) {
    return { ok: true, token: { sub, role: role as Role, kind: 'access', tokenId: null, expiresAt } };
  }
  if (kind !== 'display') return { ok: false, reason: 'token has an unknown kind' };
  if (role !== 'viewer') return { ok: false, reason: 'a display token may only carry the viewer role' };
  if (typeof jti !== 'string' || jti.length === 0) return { ok: false, reason: 'a display token needs an id' };
  return { ok: true, token: { sub, role: 'viewer', kind: 'display', tokenId: jti, expiresAt } };
}

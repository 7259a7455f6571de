import { Inject, Injectable } from '@nestjs/common';
import * as jwt from 'jsonwebtoken';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { CredentialRevocations } from './credential-revocations';
import { RevokedTokensRepository } from './revoked-tokens.repository';
import type { RevokeTokenDto } from './token-revocation.dto';
import { ValidationError } from '../common/domain-errors';

/** Revokes access tokens before they expire: REST and /live refuse them from then on, on every node. */
@Injectable()
export class TokenRevocationService {
  constructor(
    @Inject(STOCKWALL_CONFIG) private readonly config: StockwallConfig,
    private readonly revokedTokens: RevokedTokensRepository,
    private readonly revocations: CredentialRevocations,
  ) {}

  async revoke(request: RevokeTokenDto): Promise<{ id: string; until: string }> {
    const { id, expiresAtMs } = 'token' in request ? this.idOf(request.token) : this.byId(request.id);
    await this.revokedTokens.revoke(id, expiresAtMs);
    // This process's sockets of the token close at once.
    this.revocations.revoked(id);
    // Every other API process closes the token's sockets now too, not at its next sweep.
    await this.revokedTokens.announce([id]);
    return { id, until: new Date(expiresAtMs).toISOString() };
  }

  /** A token's id and expiry; it need not verify (it may be expired or from a rotated secret), only carry both. */
  private idOf(token: string): { id: string; expiresAtMs: number } {
    const payload = jwt.decode(token, { json: true });
    if (!payload || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') {
      throw ValidationError.field('token', 'must be a token with an id (jti) and an expiry (exp)');
    }
    return { id: payload.jti, expiresAtMs: Math.min(payload.exp * 1000, this.longestLifetimeEnd()) };
  }

  /** By id alone the expiry is unknown: kept for as long as any token may live. */
  private byId(id: string): { id: string; expiresAtMs: number } {
    return { id, expiresAtMs: this.longestLifetimeEnd() };
  }

  private longestLifetimeEnd(): number {
    const { accessTokenMaxTtlSeconds, displayTokenMaxTtlDays } = this.config.auth;
    return Date.now() + Math.max(accessTokenMaxTtlSeconds, displayTokenMaxTtlDays * 86_400) * 1000;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import * as jwt from 'jsonwebtoken';
import { requireJwtSecret, STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { InvalidTokenError } from '@stockwall/platform';
import { DisplayTokenRepository } from './display-token.repository';
import { RevokedTokensRepository } from './revoked-tokens.repository';
import { applyTokenPolicy, TokenLifetimeLimits, VerifiedToken } from './token-policy';

/** Algorithms accepted from an identity provider's key set: asymmetric only, never `none` or HS*. */
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];

/**
 * One check for REST, the queue board and the /live handshake: signature (Stockwall's HS256
 * secret, or the identity provider's published keys when JWKS_URL is set), expiry and lifetime,
 * role, and revocation (the jti deny-list; display tokens also by their record).
 */
@Injectable()
export class TokenVerifier {
  private readonly secret: string;
  private readonly limits: TokenLifetimeLimits;
  private readonly keySet: ReturnType<typeof createRemoteJWKSet> | null;

  constructor(
    @Inject(STOCKWALL_CONFIG) private readonly config: StockwallConfig,
    private readonly displayTokens: DisplayTokenRepository,
    private readonly revokedTokens: RevokedTokensRepository,
  ) {
    this.secret = requireJwtSecret(config);
    this.limits = {
      accessMaxSeconds: config.auth.accessTokenMaxTtlSeconds,
      displayMaxSeconds: config.auth.displayTokenMaxTtlDays * 86_400,
      requireId: true,
    };
    const jwks = config.auth.jwks;
    this.keySet = jwks
      ? createRemoteJWKSet(new URL(jwks.url), { timeoutDuration: 5_000, cooldownDuration: 30_000 })
      : null;
  }

  /** Throws InvalidTokenError with a reason a caller may see. */
  async verify(token: string): Promise<VerifiedToken> {
    const { payload, fromIdentityProvider } = await this.claimsOf(token);
    const result = applyTokenPolicy(payload, { ...this.limits, requireId: !fromIdentityProvider });
    if (!result.ok) throw new InvalidTokenError(result.reason);
    const { tokenId, revocationId } = result.token;
    const [displayActive, revoked] = await Promise.all([
      tokenId === null ? true : this.displayTokens.isActive(tokenId),
      revocationId === null ? false : this.revokedTokens.isRevoked(revocationId),
    ]);
    if (!displayActive) throw new InvalidTokenError('display token was revoked');
    if (revoked) throw new InvalidTokenError('token was revoked');
    return result.token;
  }

  /** The verified claims of a Stockwall token, or of an identity provider's when one is configured. */
  private async claimsOf(token: string): Promise<{ payload: Record<string, unknown>; fromIdentityProvider: boolean }> {
    if (this.keySet && this.config.auth.jwks && isAsymmetric(token)) {
      const { issuer, audience } = this.config.auth.jwks;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, this.keySet, {
          issuer,
          audience: audience ?? undefined,
          algorithms: JWKS_ALGORITHMS,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (error) {
        throw new InvalidTokenError((error as Error).message);
      }
      return { payload, fromIdentityProvider: true };
    }
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.secret, { algorithms: ['HS256'], issuer: 'stockwall' });
    } catch (error) {
      throw new InvalidTokenError((error as Error).message);
    }
    if (typeof payload === 'string') throw new InvalidTokenError('token has no claims');
    return { payload, fromIdentityProvider: false };
  }
}

function isAsymmetric(token: string): boolean {
  try {
    return JWKS_ALGORITHMS.includes(decodeProtectedHeader(token).alg ?? '');
  } catch {
    return false;
  }
}

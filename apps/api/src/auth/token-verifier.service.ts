import { Inject, Injectable } from '@nestjs/common';
import * as jwt from 'jsonwebtoken';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { InvalidTokenError } from '@stockwall/platform';
import { DisplayTokenRepository } from '../display-tokens/display-token.repository';
import { applyTokenPolicy, VerifiedToken } from './token-policy';

/** One check for REST and the /live handshake: signature, expiry, role and (display tokens) revocation. */
@Injectable()
export class TokenVerifier {
  constructor(
    @Inject(STOCKWALL_CONFIG) private readonly config: StockwallConfig,
    private readonly displayTokens: DisplayTokenRepository,
  ) {}

  /** Throws InvalidTokenError with a reason a caller may see. */
  async verify(token: string): Promise<VerifiedToken> {
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.config.auth.jwtSecret, { algorithms: ['HS256'], issuer: 'stockwall' });
    } catch (error) {
      throw new InvalidTokenError((error as Error).message);
    }
    if (typeof payload === 'string') throw new InvalidTokenError('token has no claims');
    const result = applyTokenPolicy(payload);
    if (!result.ok) throw new InvalidTokenError(result.reason);
    if (result.token.tokenId !== null && !(await this.displayTokens.isActive(result.token.tokenId))) {
      throw new InvalidTokenError('display token was revoked');
    }
    return result.token;
  }
}

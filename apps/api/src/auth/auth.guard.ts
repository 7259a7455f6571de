import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { roleSatisfies, Role } from '@stockwall/contracts';
import { extractBearer, InvalidTokenError } from '@stockwall/platform';
import { PUBLIC_ROUTE, REQUIRED_ROLE } from './auth.decorators';
import type { VerifiedToken } from './token-policy';
import { TokenVerifier } from './token-verifier.service';

/** Every route needs a valid token (viewer at least) unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // The /live handshake checks its own token (see LiveGateway).
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const required = this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets) ?? 'viewer';
    const request = context.switchToHttp().getRequest<Request & { user?: VerifiedToken }>();
    const token = extractBearer(request.headers.authorization);
    if (!token) throw new UnauthorizedException('A bearer token is required');
    let claims: VerifiedToken;
    try {
      claims = await this.tokens.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new UnauthorizedException(`Invalid token: ${error.message}`);
      throw error;
    }
    if (!roleSatisfies(claims.role, required)) {
      throw new ForbiddenException(`This needs the ${required} role; the token has ${claims.role}`);
    }
    request.user = claims;
    return true;
  }
}

import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { roleSatisfies, Role } from '@stockwall/contracts';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { extractBearer, InvalidTokenError, verifyAccessToken } from '@stockwall/platform';
import { PUBLIC_ROUTE, REQUIRED_ROLE } from './auth.decorators';

/** Every route needs a valid token (viewer at least) unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(STOCKWALL_CONFIG) private readonly config: StockwallConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const required = this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets) ?? 'viewer';
    const request = context.switchToHttp().getRequest<Request & { user?: unknown }>();
    const token = extractBearer(request.headers.authorization);
    if (!token) throw new UnauthorizedException('A bearer token is required');
    try {
      const claims = verifyAccessToken(this.config.auth.jwtSecret, token);
      if (!roleSatisfies(claims.role, required)) {
        throw new ForbiddenException(`This needs the ${required} role; the token has ${claims.role}`);
      }
      request.user = claims;
      return true;
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new UnauthorizedException(`Invalid token: ${error.message}`);
      throw error;
    }
  }
}

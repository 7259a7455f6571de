import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { roleSatisfies, Role } from '@stockwall/contracts';
import { InvalidTokenError } from '@stockwall/platform';
import { PUBLIC_ROUTE, REQUIRED_ROLE } from './auth.decorators';
import { CallerAuthenticator } from './caller-authenticator.service';
import { CSRF_HEADER, isSafeMethod } from './session-cookie';
import type { VerifiedToken } from './token-policy';
import { ForbiddenError, UnauthorizedError } from '../common/domain-errors';

/**
 * Every route needs a valid bearer token or session cookie (viewer at least) unless marked
 * @Public(). A write authenticated by the cookie alone also needs the `X-Stockwall-Csrf: 1`
 * header, which a form or a link from another site cannot send.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly callers: CallerAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // The /live handshake checks its own credentials (see LiveGateway).
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const required = this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets) ?? 'viewer';
    const request = context.switchToHttp().getRequest<Request & { user?: VerifiedToken }>();
    let claims: VerifiedToken | null;
    try {
      claims = await this.callers.authenticate({
        authorization: request.headers.authorization,
        cookie: request.headers.cookie,
      });
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        throw new UnauthorizedError(
          request.headers.authorization ? `Invalid token: ${error.message}` : `Not signed in: ${error.message}`,
        );
      }
      throw error;
    }
    if (!claims) throw new UnauthorizedError('A bearer token or a session is required');
    if (claims.kind === 'session' && !isSafeMethod(request.method) && request.headers[CSRF_HEADER] !== '1') {
      throw new ForbiddenError('A write made with the session cookie needs the header X-Stockwall-Csrf: 1');
    }
    if (!roleSatisfies(claims.role, required)) {
      const holder = claims.kind === 'session' ? 'your account' : 'the token';
      throw new ForbiddenError(`This needs the ${required} role; ${holder} has ${claims.role}`);
    }
    request.user = claims;
    return true;
  }
}

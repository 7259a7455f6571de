import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { UnauthorizedError } from '../common/domain-errors';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { Public } from './auth.decorators';
import { clearedSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from './session-cookie';
import { loginSchema, LoginDto, SessionAnswer } from './session.dto';
import { LoginLockedError, SessionService } from './session.service';
import type { VerifiedToken } from './token-policy';

/** Sign-in for people: an opaque session id in an httpOnly, SameSite=Strict cookie. */
@ApiTags('auth')
@Controller('api/v1/auth')
export class SessionController {
  constructor(
    @Inject(STOCKWALL_CONFIG) private readonly config: StockwallConfig,
    private readonly sessions: SessionService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with e-mail and password: sets the session cookie' })
  async login(
    @Body(new ZodValidationPipe(loginSchema)) body: LoginDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionAnswer> {
    try {
      const { sessionId, answer } = await this.sessions.login(body, request.ip ?? 'unknown');
      const maxAge = (Date.parse(answer.expiresAt) - Date.now()) / 1000;
      response.setHeader('Set-Cookie', sessionCookie(sessionId, maxAge, this.secure(request)));
      response.setHeader('Cache-Control', 'no-store');
      return answer;
    } catch (error) {
      if (error instanceof LoginLockedError) response.setHeader('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: ends the session and clears its cookie' })
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.sessions.logout(readCookie(request.headers.cookie, SESSION_COOKIE));
    response.setHeader('Set-Cookie', clearedSessionCookie(this.secure(request)));
  }

  @Get('session')
  @ApiOperation({ summary: 'The signed-in user and when the session ends' })
  session(@Req() request: Request & { user: VerifiedToken }): SessionAnswer {
    const { user } = request;
    if (user.kind !== 'session' || user.userId === undefined) throw new UnauthorizedError('Not signed in');
    return {
      user: { id: user.userId, email: user.sub, role: user.role },
      expiresAt: new Date(user.expiresAt).toISOString(),
    };
  }

  private secure(request: Request): boolean {
    const setting = this.config.auth.sessions.cookieSecure;
    return setting === 'always' || (setting === 'auto' && request.secure);
  }
}

import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { normalizeEmail, UsersRepository } from '@stockwall/persistence';
import { escapeForLog, hashPassword, SessionStore, verifyPassword } from '@stockwall/platform';
import { UnauthorizedError } from '../common/domain-errors';
import { SESSION_STORE } from './caller-authenticator.service';
import { LoginAttemptsRepository } from './login-attempts.repository';
import { lockoutDecision } from './login-lockout-policy';
import type { LoginDto, SessionAnswer } from './session.dto';

/** Refused because of too many failures; the caller waits `retryAfterSeconds`. */
export class LoginLockedError extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed sign-ins: try again in ${retryAfterSeconds} s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}

const WRONG_CREDENTIALS = 'Wrong e-mail or password';

/** Console sign-in: checks the password, counts failures, opens and closes sessions. */
@Injectable()
export class SessionService {
  private readonly logger = new Logger(SessionService.name);
  /** Hashed once, checked against when the e-mail is unknown, so that answer takes as long as a wrong password. */
  private dummyHash: Promise<string> | null = null;

  constructor(
    @Inject(STOCKWALL_CONFIG) private readonly config: StockwallConfig,
    @Inject(SESSION_STORE) private readonly sessions: SessionStore,
    private readonly users: UsersRepository,
    private readonly attempts: LoginAttemptsRepository,
  ) {}

  async login(request: LoginDto, address: string): Promise<{ sessionId: string; answer: SessionAnswer }> {
    const email = normalizeEmail(request.email);
    const limits = this.config.auth.sessions;
    const counts = await this.attempts.counts(email, address);
    const lock = lockoutDecision(counts.account, counts.address, limits);
    if (lock.locked) throw new LoginLockedError(lock.retryAfterSeconds);
    const user = await this.users.findForLogin(email);
    const valid = await verifyPassword(request.password, user?.passwordHash ?? (await this.dummy()));
    if (!user || !valid || user.disabled) {
      await this.attempts.recordFailure(email, address, limits.lockoutSeconds);
      this.logger.warn(`Failed sign-in for ${escapeForLog(email)} from ${escapeForLog(address)}`);
      throw new UnauthorizedError(WRONG_CREDENTIALS);
    }
    await this.attempts.clearAccount(email);
    const { sessionId, record } = await this.sessions.open(
      { userId: user.id, email: user.email, role: user.role },
      limits.ttlSeconds,
    );
    await this.users.recordLogin(user.id);
    return {
      sessionId,
      answer: {
        user: { id: user.id, email: user.email, role: user.role },
        expiresAt: new Date(record.expiresAt).toISOString(),
      },
    };
  }

  async logout(sessionId: string | null): Promise<void> {
    if (sessionId) await this.sessions.close(sessionId);
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    return this.dummyHash;
  }
}

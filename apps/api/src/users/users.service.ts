import { Inject, Injectable, Logger } from '@nestjs/common';
import { DuplicateEmailError, UserAccount, UsersRepository } from '@stockwall/persistence';
import { escapeForLog, hashPassword, SessionStore } from '@stockwall/platform';
import { SESSION_STORE } from '../auth/caller-authenticator.service';
import { ConflictError, NotFoundError } from '../common/domain-errors';
import type { CreateUserDto, UpdateUserDto } from './users.dto';

/** Console accounts for admins. Disabling a user, or changing their role, ends their sessions everywhere at once. */
@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly users: UsersRepository,
    @Inject(SESSION_STORE) private readonly sessions: SessionStore,
  ) {}

  async list(): Promise<{ users: UserAccount[] }> {
    return { users: await this.users.list() };
  }

  async create(request: CreateUserDto, actor: string): Promise<{ user: UserAccount }> {
    try {
      const user = await this.users.create({
        email: request.email,
        role: request.role,
        passwordHash: await hashPassword(request.password),
      });
      this.logger.log(`${escapeForLog(actor)} added user ${user.id} (${user.role})`);
      return { user };
    } catch (error) {
      if (error instanceof DuplicateEmailError)
        throw new ConflictError([{ path: 'email', message: 'a user with this e-mail exists' }]);
      throw error;
    }
  }

  async update(id: string, request: UpdateUserDto, actor: string): Promise<{ user: UserAccount }> {
    const before = await this.users.findById(id);
    if (!before) throw new NotFoundError(`No user ${id}`);
    const user = (await this.users.update(id, request))!;
    // A new role takes effect at the next sign-in; a disabled user is signed out now.
    if ((user.disabled && !before.disabled) || user.role !== before.role) {
      const ended = await this.sessions.closeAllOf(id);
      this.logger.log(`${escapeForLog(actor)} changed user ${id}: ${ended} session(s) ended`);
    }
    return { user };
  }
}

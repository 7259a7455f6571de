import type { DataSource } from 'typeorm';
import { ROLES, type Role, type UserAccount } from '@stockwall/contracts';
import { UserEntity } from '../entities/user.entity';

export type { UserAccount };

export class DuplicateEmailError extends Error {
  constructor(email: string) {
    super(`A user with the e-mail ${email} already exists`);
    this.name = 'DuplicateEmailError';
  }
}

/** Trimmed and lower-cased: one account per address however it is typed. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A problem with an e-mail address (already normalised), or null. */
export function emailProblem(email: string): string | null {
  if (email.length > 254) return 'must be at most 254 characters';
  if (!/^[^\s@"'<>\\]+@[^\s@"'<>\\]+\.[^\s@"'<>\\]+$/.test(email)) return 'must be an e-mail address';
  return null;
}

/** Console accounts in MySQL (the CLI and the API share it). */
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(input: { email: string; role: Role; passwordHash: string }): Promise<UserAccount> {
    const email = normalizeEmail(input.email);
    try {
      const result = await this.dataSource.query<{ insertId: number | string }>(
        'INSERT INTO users (email, password_hash, role, disabled, created_at) VALUES (?, ?, ?, 0, ?)',
        [email, input.passwordHash, input.role, new Date()],
      );
      return (await this.findById(String(result.insertId)))!;
    } catch (error) {
      if ((error as { code?: string }).code === 'ER_DUP_ENTRY') throw new DuplicateEmailError(email);
      throw error;
    }
  }

  async list(): Promise<UserAccount[]> {
    const rows = await this.dataSource.getRepository(UserEntity).find({ order: { id: 'ASC' } });
    return rows.map(toAccount);
  }

  async findById(id: string): Promise<UserAccount | null> {
    if (!/^\d{1,19}$/.test(id)) return null;
    const row = await this.dataSource.getRepository(UserEntity).findOneBy({ id });
    return row ? toAccount(row) : null;
  }

  /** The account and its password hash, for signing in. */
  async findForLogin(email: string): Promise<(UserAccount & { passwordHash: string }) | null> {
    const row = await this.dataSource.getRepository(UserEntity).findOneBy({ email: normalizeEmail(email) });
    return row ? { ...toAccount(row), passwordHash: row.passwordHash } : null;
  }

  async update(
    id: string,
    changes: { role?: Role; disabled?: boolean; passwordHash?: string },
  ): Promise<UserAccount | null> {
    const existing = await this.findById(id);
    if (!existing) return null;
    const set: Partial<UserEntity> = {};
    if (changes.role !== undefined) set.role = changes.role;
    if (changes.disabled !== undefined) set.disabled = changes.disabled;
    if (changes.passwordHash !== undefined) set.passwordHash = changes.passwordHash;
    if (Object.keys(set).length > 0) await this.dataSource.getRepository(UserEntity).update({ id }, set);
    return this.findById(id);
  }

  async recordLogin(id: string, at: Date = new Date()): Promise<void> {
    await this.dataSource.getRepository(UserEntity).update({ id }, { lastLoginAt: at });
  }
}

function toAccount(row: UserEntity): UserAccount {
  return {
    id: String(row.id),
    email: row.email,
    role: ROLES.includes(row.role as Role) ? (row.role as Role) : 'viewer',
    disabled: Boolean(row.disabled),
    createdAt: row.createdAt.toISOString(),
    lastLoginAt: row.lastLoginAt ? row.lastLoginAt.toISOString() : null,
  };
}

import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import type { FailureCount } from './login-lockout-policy';

/** Failed sign-ins per account and per client address, in Redis so every API process counts together. */
export class LoginAttemptsRepository {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async counts(email: string, address: string): Promise<{ account: FailureCount; address: FailureCount }> {
    const [accountKey, addressKey] = this.keys(email, address);
    const results = (await this.redis
      .multi()
      .get(accountKey)
      .pttl(accountKey)
      .get(addressKey)
      .pttl(addressKey)
      .exec()) ?? [
      [null, null],
      [null, -2],
      [null, null],
      [null, -2],
    ];
    const value = (index: number) => results[index]?.[1] as string | number | null;
    return {
      account: { failures: Number(value(0) ?? 0), expiresInMs: Number(value(1)) },
      address: { failures: Number(value(2) ?? 0), expiresInMs: Number(value(3)) },
    };
  }

  /** Counts a failure against both; each count is forgotten `lockoutSeconds` after its last failure. */
  async recordFailure(email: string, address: string, lockoutSeconds: number): Promise<void> {
    const [accountKey, addressKey] = this.keys(email, address);
    await this.redis
      .multi()
      .incr(accountKey)
      .pexpire(accountKey, lockoutSeconds * 1000)
      .incr(addressKey)
      .pexpire(addressKey, lockoutSeconds * 1000)
      .exec();
  }

  /** A successful sign-in forgets the account's failures (not the address's: it may be trying many accounts). */
  async clearAccount(email: string): Promise<void> {
    await this.redis.del(this.keys(email, '')[0]);
  }

  private keys(email: string, address: string): [string, string] {
    const prefix = `${this.prefix}login-failures`;
    // Hashed: the keys name no e-mail address.
    const account = createHash('sha256').update(email).digest('hex').slice(0, 32);
    return [`${prefix}:account:${account}`, `${prefix}:address:${address}`];
  }
}

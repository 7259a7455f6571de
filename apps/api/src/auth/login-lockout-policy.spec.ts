import { ADDRESS_FAILURE_FACTOR, lockoutDecision } from './login-lockout-policy';

const LIMITS = { maxFailures: 5, lockoutSeconds: 900 };
const none = { failures: 0, expiresInMs: 0 };

describe(lockoutDecision.name, () => {
  it('lets an account with fewer failures than the limit try again', () => {
    expect(lockoutDecision({ failures: 4, expiresInMs: 899_000 }, none, LIMITS)).toEqual({ locked: false });
  });

  it('locks the account at the fifth failure until its count expires, rounded up to whole seconds', () => {
    const sut = lockoutDecision({ failures: 5, expiresInMs: 899_001 }, none, LIMITS);
    expect(sut).toEqual({ locked: true, retryAfterSeconds: 900 });
  });

  it('locks an address only after several accounts’ worth of failures', () => {
    const below = { failures: LIMITS.maxFailures * ADDRESS_FAILURE_FACTOR - 1, expiresInMs: 10_000 };
    const at = { failures: LIMITS.maxFailures * ADDRESS_FAILURE_FACTOR, expiresInMs: 10_000 };
    expect(lockoutDecision(none, below, LIMITS)).toEqual({ locked: false });
    expect(lockoutDecision(none, at, LIMITS)).toEqual({ locked: true, retryAfterSeconds: 10 });
  });

  it('waits for the longer of two locks', () => {
    const sut = lockoutDecision({ failures: 6, expiresInMs: 5_000 }, { failures: 40, expiresInMs: 60_000 }, LIMITS);
    expect(sut).toEqual({ locked: true, retryAfterSeconds: 60 });
  });

  it('waits the whole lockout when the count has no known expiry, and never less than a second', () => {
    expect(lockoutDecision({ failures: 5, expiresInMs: -1 }, none, LIMITS)).toEqual({
      locked: true,
      retryAfterSeconds: 900,
    });
    expect(lockoutDecision({ failures: 5, expiresInMs: 20 }, none, LIMITS)).toEqual({
      locked: true,
      retryAfterSeconds: 1,
    });
  });
});

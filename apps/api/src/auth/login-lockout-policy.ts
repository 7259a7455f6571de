/** Failed sign-ins counted for one key (an account or a client address) and how long until they are forgotten. */
export interface FailureCount {
  failures: number;
  /** Milliseconds until the count expires; each new failure restarts it. */
  expiresInMs: number;
}

export interface LockoutLimits {
  /** Failures of one account before it is locked. */
  maxFailures: number;
  /** How long failures are remembered after the last one, which is how long a lockout lasts. */
  lockoutSeconds: number;
}

export type LockoutDecision = { locked: false } | { locked: true; retryAfterSeconds: number };

/** One address may try several accounts (an office behind one NAT): it is allowed this many times an account's failures. */
export const ADDRESS_FAILURE_FACTOR = 4;

/**
 * Whether a sign-in may be tried at all. An account is locked after `maxFailures` failed attempts
 * within the lockout time of each other, an address after `ADDRESS_FAILURE_FACTOR` times that; the
 * lock lifts `lockoutSeconds` after the last failure. A locked attempt is not checked and not
 * counted, so a correct password does not unlock early and waiting is enough.
 */
export function lockoutDecision(account: FailureCount, address: FailureCount, limits: LockoutLimits): LockoutDecision {
  const waits: number[] = [];
  if (account.failures >= limits.maxFailures) waits.push(account.expiresInMs);
  if (address.failures >= limits.maxFailures * ADDRESS_FAILURE_FACTOR) waits.push(address.expiresInMs);
  if (waits.length === 0) return { locked: false };
  // A count whose expiry is unknown (no TTL read) waits the whole lockout.
  const longest = Math.max(...waits.map((wait) => (wait > 0 ? wait : limits.lockoutSeconds * 1000)));
  return { locked: true, retryAfterSeconds: Math.max(1, Math.ceil(longest / 1000)) };
}

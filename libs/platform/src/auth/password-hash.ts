import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { hasControlCharacters } from '@stockwall/contracts';

/** scrypt cost: N = 2^15, r = 8, p = 1 (about 32 MiB and tens of ms per hash). */
export const PASSWORD_SCRYPT = { cost: 2 ** 15, blockSize: 8, parallelization: 1 } as const;
export const PASSWORD_MIN_LENGTH = 12;
/** Longer passwords only cost hashing time; nobody types more. */
export const PASSWORD_MAX_LENGTH = 1_024;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Bounds on the parameters read back from a stored hash, so a tampered row cannot make a login hash for minutes. */
const MAX_COST = 2 ** 20;

export interface ScryptParameters {
  cost: number;
  blockSize: number;
  parallelization: number;
}

function derive(password: string, salt: Buffer, keyLength: number, parameters: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = {
    N: parameters.cost,
    r: parameters.blockSize,
    p: parameters.parallelization,
    // Node's default (32 MiB) is exactly 128·N·r at N = 2^15, r = 8: room above it for stronger settings.
    maxmem: 256 * parameters.cost * parameters.blockSize + 1024 * 1024,
  };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * `scrypt$N=32768,r=8,p=1$<salt>$<key>` (base64url): the parameters travel with the hash, so they can be
 * raised later and old hashes still verify.
 */
export async function hashPassword(
  password: string,
  parameters: ScryptParameters = PASSWORD_SCRYPT,
  salt: Buffer = randomBytes(SALT_BYTES),
): Promise<string> {
  const key = await derive(password, salt, KEY_BYTES, parameters);
  const { cost, blockSize, parallelization } = parameters;
  return `scrypt$N=${cost},r=${blockSize},p=${parallelization}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export interface ParsedPasswordHash {
  parameters: ScryptParameters;
  salt: Buffer;
  key: Buffer;
}

/** The parts of a stored hash, or null when it is not one this module wrote. */
export function parsePasswordHash(stored: string): ParsedPasswordHash | null {
  const match = /^scrypt\$N=(\d{1,8}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9_-]{16,88})\$([A-Za-z0-9_-]{16,172})$/.exec(
    stored,
  );
  if (!match) return null;
  const [cost, blockSize, parallelization] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const powerOfTwo = cost >= 2 && (cost & (cost - 1)) === 0;
  if (!powerOfTwo || cost > MAX_COST || blockSize < 1 || blockSize > 32 || parallelization < 1 || parallelization > 16)
    return null;
  return {
    parameters: { cost, blockSize, parallelization },
    salt: Buffer.from(match[4], 'base64url'),
    key: Buffer.from(match[5], 'base64url'),
  };
}

/** Compares in constant time; false for a hash this module cannot read. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.key.length, parsed.parameters);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** Whether a hash was made with weaker parameters than today's (re-hash it at the next sign-in). */
export function needsRehash(stored: string, parameters: ScryptParameters = PASSWORD_SCRYPT): boolean {
  const parsed = parsePasswordHash(stored);
  return (
    !parsed ||
    parsed.parameters.cost < parameters.cost ||
    parsed.parameters.blockSize < parameters.blockSize ||
    parsed.parameters.parallelization < parameters.parallelization
  );
}

/** A problem with a new password, or null: at least 12 characters, not all whitespace, no control characters. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  if (password.trim().length === 0) return 'must not be only spaces';
  // A password is typed text: a control character in it is a paste accident.
  if (hasControlCharacters(password)) return 'must not contain control characters';
  return null;
}

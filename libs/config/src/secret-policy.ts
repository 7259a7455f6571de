import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
// Used only when called, so the import cycle with stockwall-config.ts is harmless.
import { ConfigError } from './stockwall-config';

/** The fewest bytes a signing secret may have (HS256 keys should be at least as long as the hash). */
export const MIN_SECRET_BYTES = 32;

/**
 * Secrets that are, or were, written in this repository or its docs: anyone can read them, so a
 * process that would sign with one refuses to start, in every mode.
 */
export const PUBLISHED_SECRETS: ReadonlySet<string> = new Set([
  'stockwall-development-secret-do-not-use-in-production',
  'local-compose-only-secret-change-me',
  'test-secret-0123456789abcdef',
  'bench-secret-0123456789abcdef',
]);

/** Words of the placeholders people leave in example files. */
const PLACEHOLDER =
  /change[\s_.-]?me|do[\s_.-]?not[\s_.-]?use|replace[\s_.-]?me|placeholder|example|your[\s_.-]?secret/i;

/** Why `secret` may not sign tokens, or null when it may. */
export function secretProblem(secret: string): string | null {
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    return `must be at least ${MIN_SECRET_BYTES} bytes (a random string: npm run cli -- secret)`;
  }
  if (PUBLISHED_SECRETS.has(secret)) return 'is a published default; set a random secret of your own';
  if (PLACEHOLDER.test(secret)) return 'looks like a placeholder; set a random secret of your own';
  if (new Set(secret).size < 8) return 'has too few distinct characters to be random';
  return null;
}

/** The signing secret, or one clear line saying how to set it. */
export function requireJwtSecret(config: { auth: { jwtSecret: string | null } }): string {
  if (config.auth.jwtSecret === null) {
    throw new ConfigError([
      'JWT_SECRET: must be set to sign or check tokens (32+ random bytes; or JWT_SECRET_FILE). ' +
        'For a local install: npm run cli -- secret',
    ]);
  }
  return config.auth.jwtSecret;
}

/** Where the demo keeps this install's generated secret (under .stockwall/, which git ignores). */
export const LOCAL_SECRET_FILE = path.join('.stockwall', 'jwt-secret');

/**
 * Reads this install's generated secret from `file`, creating it (48 random bytes, readable by
 * the owner only) the first time. Never a fixed value: two installs never share a secret.
 */
export function ensureLocalSecret(file: string = LOCAL_SECRET_FILE): {
  file: string;
  secret: string;
  created: boolean;
} {
  const absolute = path.resolve(file);
  try {
    const secret = readFileSync(absolute, 'utf8').trim();
    if (secretProblem(secret) === null) return { file: absolute, secret, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(path.dirname(absolute), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(absolute, `${secret}\n`, { mode: 0o600 });
  chmodSync(absolute, 0o600);
  return { file: absolute, secret, created: true };
}

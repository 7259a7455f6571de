import { parseArgs } from 'node:util';
import { ensureLocalSecret, LOCAL_SECRET_FILE } from '@stockwall/config';

export const SECRET_USAGE = 'secret [--file .stockwall/jwt-secret] — make this install a random signing secret';

/**
 * Writes a random signing secret to a git-ignored file (once; later runs keep it) and prints how
 * to use it. The secret itself is never printed.
 */
export function secretCommand(args: string[]): void {
  const { values } = parseArgs({ args, options: { file: { type: 'string' } }, strict: true });
  const { file, created } = ensureLocalSecret(values.file ?? LOCAL_SECRET_FILE);
  console.log(`${created ? 'Wrote a new random secret to' : 'Using the secret in'} ${file}`);
  console.log(`Start processes with JWT_SECRET_FILE=${file}`);
}

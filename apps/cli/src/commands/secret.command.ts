import type { Command } from 'commander';
import { ensureLocalSecret, LOCAL_SECRET_FILE } from '@stockwall/config';

export function registerSecretCommand(program: Command): void {
  program
    .command('secret')
    .description('make this install a random signing secret (kept in a git-ignored file)')
    .option('--file <path>', 'where to keep it', LOCAL_SECRET_FILE)
    .action(secretCommand);
}

/**
 * Writes a random signing secret to a git-ignored file (once; later runs keep it) and prints how
 * to use it. The secret itself is never printed.
 */
export function secretCommand(values: { file: string }): void {
  const { file, created } = ensureLocalSecret(values.file);
  console.log(`${created ? 'Wrote a new random secret to' : 'Using the secret in'} ${file}`);
  console.log(`Start processes with JWT_SECRET_FILE=${file}`);
}

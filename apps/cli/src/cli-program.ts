import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { registerBenchCommand } from './commands/bench.command';
import { registerChaosCommand } from './commands/chaos.command';
import { registerDemoCommand } from './commands/demo.command';
import { registerDigestCommand } from './commands/digest.command';
import { registerLeadTimesCommand } from './commands/lead-times.command';
import { registerRebuildLiveCommand } from './commands/rebuild-live.command';
import { registerReconcileCommand } from './commands/reconcile.command';
import { registerReplayCommand } from './commands/replay.command';
import { registerRevokeCommand } from './commands/revoke.command';
import { registerSecretCommand } from './commands/secret.command';
import { registerSimulateCommand } from './commands/simulate.command';
import { registerTokenCommand } from './commands/token.command';
import { registerUsersCommand } from './commands/users.command';

/** Exit code of every usage problem: unknown command or option, missing or invalid value. */
export const USAGE_EXIT_CODE = 2;

export interface ProgramOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

/**
 * The whole command line: every command with its options and help. Errors are thrown (exitOverride),
 * not exited on, so main decides the exit code and a test can read what was printed.
 */
export function buildProgram(output?: ProgramOutput): Command {
  // Named as it is typed, so every usage line can be copied as it stands.
  const program = new Command('npm run cli --')
    .description('Stockwall: real-time inventory and sales operations')
    .usage('<command> [options]')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print this help')
    .showHelpAfterError()
    .exitOverride();
  if (output) program.configureOutput(output);
  for (const register of [
    registerTokenCommand,
    registerSimulateCommand,
    registerReplayCommand,
    registerDemoCommand,
    registerReconcileCommand,
    registerRebuildLiveCommand,
    registerLeadTimesCommand,
    registerBenchCommand,
    registerChaosCommand,
    registerSecretCommand,
    registerRevokeCommand,
    registerUsersCommand,
    registerDigestCommand,
  ]) {
    register(program);
  }
  return program;
}

/** The version in the nearest package.json above this file (the same from src/ and from dist/). */
function packageVersion(): string {
  for (let directory = __dirname; directory !== path.dirname(directory); directory = path.dirname(directory)) {
    const file = path.join(directory, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0';
  }
  return '0.0.0';
}

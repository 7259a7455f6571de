import 'reflect-metadata';
import { CommanderError } from 'commander';
import { ConfigError, DependencyUnavailableError } from '@stockwall/config';
import { LocalStackError } from '@stockwall/local-stack';
import { buildProgram, USAGE_EXIT_CODE } from './cli-program';
import { CliUsageError } from './commands/cli-error';
import { CsvReadError } from './replay/csv-records';

// The AWS SDK's notice concerns its future releases; the versions locked here support Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const program = buildProgram();

program.parseAsync(process.argv.slice(2), { from: 'user' }).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // Commander has printed the message (and the help it was asked for); --help and --version exit 0.
    process.exit(error.exitCode === 0 ? 0 : USAGE_EXIT_CODE);
  }
  if (error instanceof CliUsageError) {
    // A value the options accepted but the command cannot use: one line, then that command's usage.
    const command = program.commands.find((candidate) => candidate.name() === process.argv[2]) ?? program;
    console.error(`error: ${error.message}`);
    console.error(command.helpInformation());
    process.exit(USAGE_EXIT_CODE);
  }
  if (error instanceof CsvReadError) {
    console.error(`error: ${error.message}`);
    process.exit(1);
  }
  if (error instanceof ConfigError || error instanceof DependencyUnavailableError || error instanceof LocalStackError) {
    console.error(error.message);
    process.exit(1);
  }
  console.error(error);
  process.exit(1);
});

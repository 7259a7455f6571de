import 'reflect-metadata';
import { ConfigError, DependencyUnavailableError } from '@stockwall/config';
import { LocalStackError } from '@stockwall/local-stack';
import { BENCH_USAGE, benchCommand } from './commands/bench.command';
import { CHAOS_USAGE, chaosCommand } from './commands/chaos.command';
import { CliUsageError } from './commands/cli-error';
import { DEMO_USAGE, demoCommand } from './commands/demo.command';
import { LEAD_TIMES_USAGE, leadTimesCommand } from './commands/lead-times.command';
import { REBUILD_LIVE_USAGE, rebuildLiveCommand } from './commands/rebuild-live.command';
import { RECONCILE_USAGE, reconcileCommand } from './commands/reconcile.command';
import { REPLAY_USAGE, replayCommand } from './commands/replay.command';
import { REVOKE_USAGE, revokeCommand } from './commands/revoke.command';
import { SECRET_USAGE, secretCommand } from './commands/secret.command';
import { SIMULATE_USAGE, simulateCommand } from './commands/simulate.command';
import { TOKEN_USAGE, tokenCommand } from './commands/token.command';

const COMMANDS: Record<string, { usage: string; run: (args: string[]) => void | Promise<void> }> = {
  token: { usage: TOKEN_USAGE, run: tokenCommand },
  simulate: { usage: SIMULATE_USAGE, run: simulateCommand },
  replay: { usage: REPLAY_USAGE, run: replayCommand },
  demo: { usage: DEMO_USAGE, run: demoCommand },
  reconcile: { usage: RECONCILE_USAGE, run: reconcileCommand },
  'rebuild-live': { usage: REBUILD_LIVE_USAGE, run: rebuildLiveCommand },
  'lead-times': { usage: LEAD_TIMES_USAGE, run: leadTimesCommand },
  bench: { usage: BENCH_USAGE, run: benchCommand },
  chaos: { usage: CHAOS_USAGE, run: chaosCommand },
  secret: { usage: SECRET_USAGE, run: secretCommand },
  revoke: { usage: REVOKE_USAGE, run: revokeCommand },
};

function usage(): string {
  return ['Usage: npm run cli -- <command>', ...Object.values(COMMANDS).map((command) => `  ${command.usage}`)].join(
    '\n',
  );
}

async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  // Own keys only: `constructor` or `__proto__` are not commands.
  const command = name && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    // One line for a wrong name (quoted with its control characters escaped); the usage when none is given.
    const known = Object.keys(COMMANDS).join(', ');
    console.error(name ? `Unknown command ${JSON.stringify(name.slice(0, 64))}; commands: ${known}` : usage());
    process.exit(2);
  }
  await command.run(args);
}

// The AWS SDK's notice concerns its future releases; the versions locked here support Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CliUsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`${(error as Error).message}\n${usage()}`);
    process.exit(2);
  }
  if (error instanceof ConfigError || error instanceof DependencyUnavailableError || error instanceof LocalStackError) {
    console.error(error.message);
    process.exit(1);
  }
  console.error(error);
  process.exit(1);
});

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatReport, reportPassed } from '../chaos/chaos-report';
import { runChaos } from '../chaos/chaos-runner';
import { ChaosOptions, FULL_DEFAULTS, QUICK_DEFAULTS } from '../chaos/chaos-scenario';
import { positiveNumber } from './cli-error';

interface ChaosCommandOptions {
  events?: string;
  shards?: string;
  workers?: string;
  rate?: string;
  seed?: string;
  quick: boolean;
  faults: boolean;
}

export function registerChaosCommand(program: Command): void {
  program
    .command('chaos')
    .description('fault-injection run: real data through shards, workers and API nodes while faults are injected')
    .option('--events <n>', 'events to send')
    .option('--shards <n>', 'shards of the stream')
    .option('--workers <n>', 'worker processes')
    .option('--rate <events/s>', 'send rate')
    .option('--seed <n>', 'seed of the fault schedule', '42')
    .option('--quick', 'the short run', false)
    .option('--no-faults', 'the same run without faults')
    .action(chaosCommand);
}

/** The real data sets: DATASETS_DIR, else shared/datasets beside the checkout, else the machine's copy. */
function datasetsDir(): string {
  return (
    process.env.DATASETS_DIR ??
    [resolve(process.cwd(), '..', 'shared', 'datasets'), '/work/shared/datasets'].find((dir) => existsSync(dir)) ??
    '/work/shared/datasets'
  );
}

/**
 * `npm run chaos`: replays real events at a steady rate onto a whole system of processes on private
 * services while faults are injected, then checks that nothing was lost or counted twice. Prints the
 * report; exit code 1 when any check failed.
 */
export async function chaosCommand(values: ChaosCommandOptions): Promise<void> {
  const defaults = values.quick ? QUICK_DEFAULTS : FULL_DEFAULTS;
  const whole = (name: string, value: string | undefined, fallback: number) =>
    Math.floor(positiveNumber(name, value, fallback));
  const options: ChaosOptions = {
    events: whole('events', values.events, defaults.events),
    shards: whole('shards', values.shards, defaults.shards),
    workers: whole('workers', values.workers, defaults.workers),
    apis: defaults.apis,
    rate: positiveNumber('rate', values.rate, defaults.rate),
    seed: whole('seed', values.seed, 42),
    quick: values.quick,
    faults: values.faults,
    lagOkMs: 5_000,
    recoveryTimeoutMs: 300_000,
    quiesceTimeoutMs: 600_000,
    datasetsDir: datasetsDir(),
  };
  // Interrupted: exit, so the exit hooks kill every process and server the run started.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  const report = await runChaos(options, (line) => console.log(line));
  console.log(formatReport(report));
  if (!reportPassed(report)) process.exitCode = 1;
}

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatReport, reportPassed } from '../chaos/chaos-report';
import { runChaos } from '../chaos/chaos-runner';
import { ChaosOptions, FULL_DEFAULTS, QUICK_DEFAULTS } from '../chaos/chaos-scenario';
import { positiveNumber } from './cli-error';

export const CHAOS_USAGE =
  'chaos [--events <n>] [--shards <n>] [--workers <n>] [--rate <events/s>] [--seed <n>] [--quick] [--no-faults] — fault-injection run';

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
export async function chaosCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      events: { type: 'string' },
      shards: { type: 'string' },
      workers: { type: 'string' },
      rate: { type: 'string' },
      seed: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'no-faults': { type: 'boolean', default: false },
    },
    strict: true,
  });
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
    faults: !values['no-faults'],
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

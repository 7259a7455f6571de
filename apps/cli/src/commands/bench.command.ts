import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { CliUsageError } from './cli-error';

const SUITES = ['ingest', 'aggregation', 'history', 'live'] as const;

export const BENCH_USAGE = `bench [${SUITES.join('|')}|all] [suite options, e.g. --events 200000]`;

/**
 * Runs benchmark suites from bench/ (TypeScript, compiled on load), one after another, each in
 * its own process so one suite's memory and timers cannot colour the next. Results go to
 * stdout as Markdown tables; docs/benchmarks.md records them with the command.
 */
export async function benchCommand(args: string[]): Promise<void> {
  const [suite = 'all', ...options] = args;
  const suites = suite === 'all' ? [...SUITES] : [suite];
  for (const name of suites) {
    if (!(SUITES as readonly string[]).includes(name)) {
      throw new CliUsageError(`Unknown benchmark suite "${name}"; choose ${SUITES.join(', ')} or all`);
    }
  }
  const root = projectRoot();
  for (const name of suites) {
    console.log(`\n# bench ${name}\n`);
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '-r',
          path.join(root, 'test/support/ts-register.js'),
          path.join(root, `bench/${name}/${name}.bench.ts`),
          ...options,
        ],
        { cwd: root, stdio: 'inherit' },
      );
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`bench ${name} exited with code ${code}`);
  }
}

function projectRoot(): string {
  for (let directory = __dirname; directory !== path.dirname(directory); directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, 'bench')) && existsSync(path.join(directory, 'package.json'))) return directory;
  }
  throw new Error('bench/ was not found above the CLI; run it from a Stockwall checkout');
}

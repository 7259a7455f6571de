import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { CliUsageError } from './cli-error';

export const BENCH_USAGE = 'bench [--quick] [--only ingest,consumer,aggregation,persist,live]';

/**
 * Runs the benchmark suite (bench/suite/run-suite.ts, TypeScript compiled on load): every
 * benchmark with its baseline and limit in the same run, each in its own process. It writes
 * docs/benchmarks.md, bench/results/<date>.json and SVG charts. `--quick` runs within 3 minutes.
 */
export async function benchCommand(args: string[]): Promise<void> {
  for (const [index, arg] of args.entries()) {
    if (arg !== '--quick' && arg !== '--only' && args[index - 1] !== '--only') {
      throw new CliUsageError(`Unknown bench option "${arg}"; usage: ${BENCH_USAGE}`);
    }
  }
  const root = projectRoot();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', path.join(root, 'test/support/ts-register.js'), path.join(root, 'bench/suite/run-suite.ts'), ...args],
      { cwd: root, stdio: 'inherit' },
    );
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`bench exited with code ${code}`);
}

function projectRoot(): string {
  for (let directory = __dirname; directory !== path.dirname(directory); directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, 'bench')) && existsSync(path.join(directory, 'package.json'))) return directory;
  }
  throw new Error('bench/ was not found above the CLI; run it from a Stockwall checkout');
}

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('run the benchmark suite and write docs/benchmarks.md')
    .option('--quick', 'the short suite (about 3 minutes)', false)
    .option('--only <names>', 'comma-separated: ingest, consumer, aggregation, persist, live')
    .action(benchCommand);
}

/**
 * Runs the benchmark suite (bench/suite/run-suite.ts, TypeScript compiled on load): every
 * benchmark with its baseline and limit in the same run, each in its own process. It writes
 * docs/benchmarks.md, bench/results/<date>.json and SVG charts. `--quick` runs within 3 minutes.
 */
export async function benchCommand(values: { quick: boolean; only?: string }): Promise<void> {
  const args = [...(values.quick ? ['--quick'] : []), ...(values.only === undefined ? [] : ['--only', values.only])];
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

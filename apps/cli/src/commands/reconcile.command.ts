import type { Command } from 'commander';
import { loadConfig } from '@stockwall/config';
import { reconcile } from '../reconcile/reconcile';
import { CliUsageError } from './cli-error';

// The comparison itself lives with the other reconcile code; tests and the chaos run call it directly.
export { reconcile, type ReconcileOptions, type ReconcileReport } from '../reconcile/reconcile';

export function registerReconcileCommand(program: Command): void {
  program
    .command('reconcile')
    .description('compare the live Redis state with MySQL and with every stored event folded again (exit 3 on drift)')
    .option('--wait <seconds>', 'wait up to this long for the persistence to catch up', '0')
    .option('--quiet', 'print nothing when there is no drift', false)
    .option('--no-recompute', 'skip folding the stored events again')
    .action(reconcileCommand);
}

export async function reconcileCommand(values: { wait: string; quiet: boolean; recompute: boolean }): Promise<void> {
  if (!/^\d+$/.test(values.wait)) throw new CliUsageError(`--wait must be a number of seconds, got "${values.wait}"`);
  const report = await reconcile(loadConfig(), {
    waitSeconds: Number(values.wait),
    recompute: values.recompute,
  });
  for (const note of report.notes) console.log(`note: ${note}`);
  if (report.drift.length === 0) {
    if (!values.quiet)
      console.log(
        `reconcile: no drift (${report.skus} SKU/location rows, windows ${report.windows.join(', ') || 'none'}, ` +
          `${report.recomputed ? 'recomputed from the stored events' : 'not recomputed from the stored events'})`,
      );
    return;
  }
  for (const drift of report.drift) console.log(`drift: ${drift.what}: live ${drift.live}, MySQL ${drift.stored}`);
  console.log(`reconcile: ${report.drift.length} differences`);
  process.exitCode = 3;
}

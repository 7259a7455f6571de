import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { SupplierLeadTimeRepository } from '@stockwall/aggregation';
import { loadConfig, StockwallConfig } from '@stockwall/config';
import { connectRedis } from '@stockwall/platform';
import { median, SupplierLeadTimeEstimate } from '../suppliers/lead-time-estimator';
import { LEAD_TIME_FORMATS, LeadTimeFormat, LeadTimeReading, readLeadTimes } from '../suppliers/lead-time-sources';
import { CliUsageError } from './cli-error';

export function registerLeadTimesCommand(program: Command): void {
  program
    .command('lead-times')
    .description('load supplier lead times (median days per supplier) into Redis')
    .argument('<file>', 'purchase orders or receipts')
    .addOption(new Option('--format <format>', 'the file format (default: from the file)').choices(LEAD_TIME_FORMATS))
    .option('--dry-run', 'read and report, load nothing', false)
    .action(leadTimesCommand);
}

export interface LeadTimesSummary extends LeadTimeReading {
  /** The Redis hash written; null on a dry run. */
  loadedInto: string | null;
}

/** Reads a purchasing file, estimates each supplier's lead time and writes them to the lead-time hash. */
export async function loadLeadTimes(
  config: StockwallConfig,
  file: string,
  options: { format?: LeadTimeFormat; dryRun?: boolean } = {},
): Promise<LeadTimesSummary> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliUsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let reading: LeadTimeReading;
  try {
    reading = readLeadTimes(text, options.format);
  } catch (error) {
    throw new CliUsageError(`${file}: ${(error as Error).message}`);
  }
  if (options.dryRun) return { ...reading, loadedInto: null };
  const redis = await connectRedis(config.redis.url);
  try {
    const repository = new SupplierLeadTimeRepository(redis, config.redis.prefix);
    await repository.setMany(
      reading.leadTimes.map((leadTime) => ({ supplierId: leadTime.supplierId, days: leadTime.days })),
    );
    return { ...reading, loadedInto: repository.redisKey };
  } finally {
    await redis.quit();
  }
}

export function describeLeadTimes(summary: LeadTimesSummary): string[] {
  const lines = [
    `lead-times: ${summary.format}, ${summary.rows} rows read, ${summary.rejected.length} rejected, ${summary.leadTimes.length} suppliers`,
  ];
  const reasons = new Map<string, number>();
  for (const row of summary.rejected) reasons.set(row.reason, (reasons.get(row.reason) ?? 0) + 1);
  for (const [reason, count] of reasons) {
    const first = summary.rejected.find((row) => row.reason === reason)!.line;
    lines.push(`  rejected ${count}× ${reason} (first on line ${first})`);
  }
  for (const estimate of summary.outOfBounds) {
    lines.push(`  not loaded: supplier ${estimate.supplierId}, median ${estimate.days} days is out of bounds`);
  }
  if (summary.leadTimes.length > 0) {
    const days = summary.leadTimes.map((leadTime) => leadTime.days);
    const shortest = summary.leadTimes.reduce((best, leadTime) => (leadTime.days < best.days ? leadTime : best));
    const longest = summary.leadTimes.reduce((best, leadTime) => (leadTime.days > best.days ? leadTime : best));
    const label = (leadTime: SupplierLeadTimeEstimate) =>
      leadTime.supplierName && leadTime.supplierName !== leadTime.supplierId
        ? `${leadTime.supplierId} ${leadTime.supplierName}`
        : leadTime.supplierId;
    lines.push(
      `lead-times: median ${median(days)} days across suppliers; shortest ${shortest.days} (${label(shortest)}), longest ${longest.days} (${label(longest)})`,
    );
  }
  lines.push(
    summary.loadedInto === null
      ? 'lead-times: dry run, nothing loaded'
      : `lead-times: loaded ${summary.leadTimes.length} supplier lead times into ${summary.loadedInto}; SKUs use them from their next restock naming the supplier`,
  );
  return lines;
}

export async function leadTimesCommand(
  file: string,
  values: { format?: LeadTimeFormat; dryRun: boolean },
): Promise<void> {
  const config = loadConfig();
  const summary = await loadLeadTimes(config, file, { format: values.format, dryRun: values.dryRun });
  for (const line of describeLeadTimes(summary)) console.log(line);
  if (summary.leadTimes.length === 0) process.exitCode = 1;
}

import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { DependencyUnavailableError, loadConfig, StockwallConfig } from '@stockwall/config';
import { openExistingDatabase } from '@stockwall/persistence';
import { connectRedis } from '@stockwall/platform';
import { recentlyAppliedEventIds, storedEventIds } from '../replay/imported-events';
import { readKnownProducts } from '../replay/known-products';
import { ProgressBar } from '../replay/progress-bar';
import { listReplayFiles, REPLAY_FORMATS, ReplayFormat } from '../replay/replay-source';
import { ReplayRun, runReplay } from '../replay/replay-runner';
import { CliUsageError, positiveNumber } from './cli-error';
import { openStreamProducer } from './stream-producer';

interface ReplayOptions {
  format: ReplayFormat;
  rate?: string;
  max?: boolean;
  retime?: boolean;
  openingStock?: string;
  reorderPoint?: string;
  costPercent?: string;
  importCheck: boolean;
}

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('send a real data set (a file or a directory of files) to the stream as events')
    .argument('<path>', 'a file or a directory')
    .addOption(
      new Option('--format <format>', 'how the files are laid out').choices(REPLAY_FORMATS).makeOptionMandatory(),
    )
    .addOption(new Option('--rate <events/s>', 'send at this rate').conflicts('max'))
    .option('--max', 'send as fast as the stream takes them')
    .option('--retime', 'shift the events so the data set ends now')
    .option('--opening-stock <n>', 'stock each new SKU starts with', '100')
    .option('--reorder-point <n>', 'reorder point of each new SKU', '10')
    .option('--cost-percent <n>', 'unit cost as a share of the price', '60')
    .option('--no-import-check', 'send events an earlier import already stored')
    .action(replayCommand);
}

export async function replayCommand(path: string, values: ReplayOptions): Promise<void> {
  if (!existsSync(path)) throw new CliUsageError(`No such file or directory: ${path}`);
  const format = values.format;
  const rate = values.rate === undefined ? undefined : positiveNumber('rate', values.rate, 1);
  const files = listReplayFiles(path, format);
  if (files.length === 0) throw new CliUsageError(`No ${format} files under ${path}`);
  const whole = (name: string, value: string | undefined, fallback: number) =>
    value === undefined ? fallback : Math.floor(positiveNumber(name, value, fallback));

  const config = loadConfig();
  // Events an earlier import stored (MySQL, for ever) or just applied (Redis) are not sent again.
  const importCheck = values.importCheck ? await openImportCheck(config) : null;
  try {
    await replayFiles(config, files, format, importCheck, {
      rate,
      retime: values.retime ?? false,
      options: {
        openingStock: whole('opening-stock', values.openingStock, 100),
        reorderPoint: whole('reorder-point', values.reorderPoint, 10),
        costPercent: whole('cost-percent', values.costPercent, 60),
      },
    });
  } finally {
    await importCheck?.close();
  }
}

async function replayFiles(
  config: StockwallConfig,
  files: string[],
  format: ReplayFormat,
  importCheck: ImportCheck | null,
  settings: Pick<ReplayRun, 'rate' | 'retime' | 'options'>,
): Promise<void> {
  // SKUs the live state already holds are not added again (a re-import after the dedupe window
  // would reset their on-hand); events-jsonl lines are sent as they are.
  const knownProducts = format === 'events-jsonl' ? [] : await readLiveProducts(config);
  const producer = await openStreamProducer(config);
  const bar = new ProgressBar();
  console.error(`replay: ${files.length} file(s) of ${format} → ${config.kinesis.streamName}`);
  if (!importCheck) console.error('replay: --no-import-check: every event is sent, imported before or not');
  const summary = await runReplay({
    files,
    format,
    publish: (events) => producer.publisher.publish(events),
    ...settings,
    onProgress: (progress) => bar.update(progress),
    knownProducts,
    alreadyImported: importCheck?.alreadyImported,
  });
  bar.finish({ rowsRead: summary.rowsRead, eventsSent: summary.eventsSent, done: 1 });
  const rejected = Object.entries(summary.rejected);
  const seconds = summary.elapsedMs / 1000;
  console.log(
    [
      `replay: done in ${seconds.toFixed(1)} s`,
      `  files read:     ${summary.files}`,
      `  rows read:      ${summary.rowsRead}`,
      `  events sent:    ${summary.eventsSent} (${(summary.eventsSent / Math.max(seconds, 0.001)).toFixed(0)}/s)`,
      `  already imported: ${importCheck ? `${summary.alreadyImported} event(s), not sent` : 'not checked (--no-import-check)'}`,
      ...(summary.repeated > 0
        ? [`  repeated:       ${summary.repeated} event(s) of rows identical to an earlier file's, not sent`]
        : []),
      `  rows rejected:  ${rejected.reduce((sum, [, count]) => sum + (count ?? 0), 0)}`,
      ...rejected.map(([reason, count]) => `    ${reason}: ${count}`),
      ...summary.unreadable.map((row) => `    unreadable at ${row.file}:${row.line}: ${row.problem}`),
    ].join('\n'),
  );
  producer.close();
}

async function readLiveProducts(config: StockwallConfig) {
  const redis = await connectRedis(config.redis.url);
  try {
    const known = await readKnownProducts(redis, config.redis.prefix);
    if (known.length > 0) console.error(`replay: ${known.length} SKU location(s) already live are not added again`);
    return known;
  } finally {
    await redis.quit();
  }
}

interface ImportCheck {
  alreadyImported: (eventIds: string[]) => Promise<Set<string>>;
  close(): Promise<void>;
}

/**
 * Opens what tells an event imported before: MySQL's event_identities (read only) and the live
 * apply's dedupe sets in Redis. Without MySQL the replay refuses, in one line: it could not tell.
 */
async function openImportCheck(config: StockwallConfig): Promise<ImportCheck> {
  const dataSource = await openExistingDatabase(config.database, ['event_identities']).catch((error: unknown) => {
    if (!(error instanceof DependencyUnavailableError)) throw error;
    throw new DependencyUnavailableError(
      'mysql',
      `${error.message} (replay reads event_identities to skip events imported before; ` +
        '--no-import-check sends every event)',
    );
  });
  const redis = await connectRedis(config.redis.url).catch(async (error: unknown) => {
    await dataSource.destroy();
    throw error;
  });
  const windowMs = config.worker.dedupeWindowSeconds * 1_000;
  return {
    alreadyImported: async (eventIds) => {
      const known = await storedEventIds(dataSource, eventIds);
      const rest = eventIds.filter((id) => !known.has(id));
      for (const id of await recentlyAppliedEventIds(redis, config.redis.prefix, windowMs, rest)) known.add(id);
      return known;
    },
    close: async () => {
      await dataSource.destroy();
      await redis.quit();
    },
  };
}

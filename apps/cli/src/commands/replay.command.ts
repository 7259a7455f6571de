import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '@stockwall/config';
import { connectRedis } from '@stockwall/platform';
import { readKnownProducts } from '../replay/known-products';
import { ProgressBar } from '../replay/progress-bar';
import { listReplayFiles, REPLAY_FORMATS, ReplayFormat } from '../replay/replay-source';
import { runReplay } from '../replay/replay-runner';
import { CliUsageError, positiveNumber } from './cli-error';
import { openStreamProducer } from './stream-producer';

export const REPLAY_USAGE =
  'replay <file|dir> --format online-retail|cafe|events-jsonl [--rate <events/s>|--max] [--retime] ' +
  '[--opening-stock <n>] [--reorder-point <n>] [--cost-percent <n>]';

export async function replayCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      rate: { type: 'string' },
      max: { type: 'boolean' },
      retime: { type: 'boolean' },
      'opening-stock': { type: 'string' },
      'reorder-point': { type: 'string' },
      'cost-percent': { type: 'string' },
    },
    strict: true,
  });
  const [path] = positionals;
  if (!path || positionals.length > 1) throw new CliUsageError('replay takes exactly one file or directory');
  if (!existsSync(path)) throw new CliUsageError(`No such file or directory: ${path}`);
  const format = values.format as ReplayFormat | undefined;
  if (!format || !REPLAY_FORMATS.includes(format)) {
    throw new CliUsageError(`--format must be one of ${REPLAY_FORMATS.join(', ')}`);
  }
  if (values.rate !== undefined && values.max) throw new CliUsageError('use either --rate or --max');
  const rate = values.rate === undefined ? undefined : positiveNumber('rate', values.rate, 1);
  const files = listReplayFiles(path, format);
  if (files.length === 0) throw new CliUsageError(`No ${format} files under ${path}`);
  const whole = (name: string, value: string | undefined, fallback: number) =>
    value === undefined ? fallback : Math.floor(positiveNumber(name, value, fallback));

  const config = loadConfig();
  // SKUs the live state already holds are not added again (a re-import after the dedupe window
  // would reset their on-hand); events-jsonl lines are sent as they are.
  const knownProducts = format === 'events-jsonl' ? [] : await readLiveProducts(config);
  const producer = await openStreamProducer(config);
  const bar = new ProgressBar();
  console.error(`replay: ${files.length} file(s) of ${format} → ${config.kinesis.streamName}`);
  const summary = await runReplay({
    files,
    format,
    publish: (events) => producer.publisher.publish(events),
    rate,
    retime: values.retime ?? false,
    options: {
      openingStock: whole('opening-stock', values['opening-stock'], 100),
      reorderPoint: values['reorder-point'] === undefined ? 10 : whole('reorder-point', values['reorder-point'], 10),
      costPercent: whole('cost-percent', values['cost-percent'], 60),
    },
    onProgress: (progress) => bar.update(progress),
    knownProducts,
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
      `  rows rejected:  ${rejected.reduce((sum, [, count]) => sum + (count ?? 0), 0)}`,
      ...rejected.map(([reason, count]) => `    ${reason}: ${count}`),
    ].join('\n'),
  );
  producer.close();
}

async function readLiveProducts(config: ReturnType<typeof loadConfig>) {
  const redis = await connectRedis(config.redis.url);
  try {
    const known = await readKnownProducts(redis, config.redis.prefix);
    if (known.length > 0) console.error(`replay: ${known.length} SKU location(s) already live are not added again`);
    return known;
  } finally {
    await redis.quit();
  }
}

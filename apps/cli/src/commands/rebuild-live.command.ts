import type { Command } from 'commander';
import {
  LiveRebuildRepository,
  NO_HISTORY,
  planCheckpoints,
  planStockHash,
  planWindowBuckets,
  RebuildSkuHistory,
  RebuildStockRow,
  rebuildVersion,
  rebuildWatermark,
  StockTotalsPlan,
  stockKeyOf,
  supplierLeadTimesOf,
  windowRebuildFrom,
} from '@stockwall/aggregation';
import { loadConfig, StockwallConfig } from '@stockwall/config';
import { LIVE_REBUILD_TABLES, LiveRebuildSource, openExistingDatabase } from '@stockwall/persistence';
import { connectRedis } from '@stockwall/platform';

export function registerRebuildLiveCommand(program: Command): void {
  program
    .command('rebuild-live')
    .description('rebuild the Redis live state and checkpoints from MySQL (workers stopped)')
    .option('--force', 'rebuild even if a worker seems to hold the stream', false)
    .action(rebuildLiveCommand);
}

/** Stock rows planned and written per round (their demand and stockouts are read per round). */
const STOCK_CHUNK = 1_000;

export interface RebuildSummary {
  skus: number;
  buckets: number;
  shards: number;
  version: number;
  watermark: number | null;
  deletedKeys: number;
  seconds: number;
}

/** The stream is held by workers: rebuilding under them would race their applies. */
export class StreamHeldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamHeldError';
  }
}

/**
 * Rebuilds the live state in Redis from MySQL: stock hashes (with forecast and alert state), the
 * stock index and totals, the window buckets of the last 24 h (+ a quarter hour and the lateness),
 * the watermark, the version and every shard checkpoint at MySQL's persisted position, all read
 * from one consistent snapshot. Refuses while a worker holds a lease on the stream, unless forced.
 */
export async function rebuildLive(
  config: StockwallConfig,
  options: { force?: boolean; now?: () => number } = {},
): Promise<RebuildSummary> {
  const now = options.now ?? Date.now;
  const started = now();
  const streamName = config.kinesis.streamName;
  const redis = await connectRedis(config.redis.url);
  try {
    const live = new LiveRebuildRepository(redis, config.redis.prefix);
    if (!options.force) {
      const holders = await live.streamHolders(streamName, config.worker.leaseTtlMs, now());
      if (holders.leases.length > 0 || holders.workers.length > 0) {
        const owners = [...new Set([...holders.leases.map((lease) => lease.owner), ...holders.workers])];
        throw new StreamHeldError(
          `rebuild-live: refused, stream ${streamName} is held by ${owners.length} running worker(s) ` +
            `(${owners.join(', ')}; ${holders.leases.length} lease(s)); stop the workers first or pass --force`,
        );
      }
    }
    const dataSource = await openExistingDatabase(config.database, LIVE_REBUILD_TABLES);
    try {
      const source = await LiveRebuildSource.open(dataSource);
      try {
        return await rebuildFrom(config, source, live, started, now);
      } finally {
        await source.close();
      }
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await redis.quit();
  }
}

async function rebuildFrom(
  config: StockwallConfig,
  source: LiveRebuildSource,
  live: LiveRebuildRepository,
  started: number,
  now: () => number,
): Promise<RebuildSummary> {
  const settings = config.aggregation;
  const streamName = config.kinesis.streamName;
  const oldVersion = await live.readVersion();
  const leadTimes = await live.supplierLeadTimes();
  const supplierLeadTimes =
    leadTimes.size > 0 ? supplierLeadTimesOf(await source.supplierRestocks(), leadTimes) : new Map<string, number>();
  const rows = await source.stockLevels();
  const positions = await source.shardPositions(streamName);
  const watermark = rebuildWatermark(await source.latestEventAt(), now());
  const version = rebuildVersion([oldVersion, ...(await source.recordedVersions())]);
  const from = watermark === null ? null : windowRebuildFrom(watermark, settings.allowedLatenessMs);
  const buckets =
    watermark === null || from === null
      ? []
      : planWindowBuckets(
          await source.minuteRollups(from),
          await source.skuMinuteSales(from),
          watermark,
          settings.allowedLatenessMs,
        );

  const deletedKeys = await live.clearLiveState(streamName);
  const totals = new StockTotalsPlan();
  for (let first = 0; first < rows.length; first += STOCK_CHUNK) {
    const chunk = rows.slice(first, first + STOCK_CHUNK);
    const histories = await historiesOf(source, chunk, supplierLeadTimes);
    for (const row of chunk) {
      const planned = planStockHash(row, histories.get(stockKeyOf(row.sku, row.location)) ?? NO_HISTORY, settings);
      totals.add(row.location, planned.contribution);
      await live.writeStockHash(row.sku, row.location, planned.fields);
    }
  }
  await live.writeStockTotals(totals.fields(), watermark);
  for (const bucket of buckets) await live.writeBucket(bucket);
  const checkpoints = planCheckpoints(positions);
  for (const [shardId, fields] of checkpoints) await live.writeCheckpoint(streamName, shardId, fields);
  await live.finish(watermark, version);
  return {
    skus: rows.length,
    buckets: buckets.length,
    shards: checkpoints.size,
    version,
    watermark,
    deletedKeys,
    seconds: (now() - started) / 1_000,
  };
}

/** Demand, supplier lead time and stockout start of each SKU of a chunk (sorted by SKU). */
async function historiesOf(
  source: LiveRebuildSource,
  chunk: readonly RebuildStockRow[],
  supplierLeadTimes: ReadonlyMap<string, number>,
): Promise<Map<string, RebuildSkuHistory>> {
  const firstSku = chunk[0].sku;
  const lastSku = chunk[chunk.length - 1].sku;
  const demand = new Map<string, [number, number][]>();
  for (const shipped of await source.shippedMinutes(firstSku, lastSku)) {
    const key = stockKeyOf(shipped.sku, shipped.location);
    let list = demand.get(key);
    if (!list) demand.set(key, (list = []));
    list.push([shipped.minute, shipped.units]);
  }
  const outSince = new Map<string, number>();
  const anyOut = chunk.some((row) => row.active && row.onHand - row.committed <= 0);
  if (anyOut) {
    for (const start of await source.stockoutStarts(firstSku, lastSku)) {
      outSince.set(stockKeyOf(start.sku, start.location), start.since);
    }
  }
  const histories = new Map<string, RebuildSkuHistory>();
  for (const row of chunk) {
    const key = stockKeyOf(row.sku, row.location);
    histories.set(key, {
      demand: demand.get(key) ?? [],
      supplierLeadTimeDays: supplierLeadTimes.get(key) ?? null,
      outOfStockSince: outSince.get(key) ?? null,
    });
  }
  return histories;
}

export async function rebuildLiveCommand(values: { force: boolean }): Promise<void> {
  let summary: RebuildSummary;
  try {
    summary = await rebuildLive(loadConfig(), { force: values.force });
  } catch (error) {
    if (!(error instanceof StreamHeldError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
    return;
  }
  const watermark = summary.watermark === null ? 'none' : new Date(summary.watermark).toISOString();
  console.log(
    `rebuild-live: ${summary.skus} SKU/location rows, ${summary.buckets} window buckets, ` +
      `${summary.shards} shard checkpoints, version ${summary.version}, watermark ${watermark}, ` +
      `${summary.seconds.toFixed(1)} s (${summary.deletedKeys} old keys deleted)`,
  );
}

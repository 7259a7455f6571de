import type { Redis } from 'ioredis';
import { ALL_SOURCES, KPI_WINDOW_SPECS, KpiWindow, LiveKpis, RedisKeys } from '@stockwall/contracts';
import { computeKpis, TOP_SKU_COUNT, TotalsSums, WindowSums } from '../core/kpi-calculator';
import { bucketStart, windowStart } from '../core/window-buckets';
import { READ_KPIS_SCRIPT, READ_WINDOW_TOTALS_SCRIPT } from './kpi-read.script';

type ReadKpisResult = [string | null, string[], string[], string[]];
type ReadKpisCommand = (numberOfKeys: number, ...keysAndArgs: string[]) => Promise<ReadKpisResult>;
type ReadWindowTotalsCommand = (numberOfKeys: number, ...keysAndArgs: string[]) => Promise<[string | null, string[]]>;

/** Sales sums of a window's buckets. */
export interface WindowSalesSums {
  orders: number;
  revenueCents: number;
  units: number;
  cogsCents: number;
  events: number;
}

/**
 * A window's sales as counted live, and the sales of late events the window leaves out, over the
 * minutes from `fromMs` (inclusive) to `endMs` (exclusive): the window's buckets, the last one
 * being the bucket that holds the watermark.
 */
export interface LiveAndLateSales {
  watermark: number;
  fromMs: number;
  endMs: number;
  live: WindowSalesSums;
  late: WindowSalesSums;
}

/** KPIs with the live-state version (`<prefix>version`) they were read at. */
export interface VersionedKpis {
  version: number;
  kpis: LiveKpis;
}

const EMPTY_TOTALS: TotalsSums = { units: 0, valueCents: 0, belowReorderPoint: 0, outOfStock: 0, active: 0 };
const TOTAL_FIELDS: Record<string, keyof TotalsSums> = {
  units: 'units',
  val: 'valueCents',
  below: 'belowReorderPoint',
  out: 'outOfStock',
  act: 'active',
};

/** Reads the rolling windows and stock totals the atomic apply keeps (see apply-batch.script.ts). */
export class KpiRepository {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new RedisKeys(prefix);
    if (!(redis as unknown as { stockwallReadKpis?: unknown }).stockwallReadKpis) {
      redis.defineCommand('stockwallReadKpis', { lua: READ_KPIS_SCRIPT });
    }
    if (!(redis as unknown as { stockwallReadWindowTotals?: unknown }).stockwallReadWindowTotals) {
      redis.defineCommand('stockwallReadWindowTotals', { lua: READ_WINDOW_TOTALS_SCRIPT });
    }
  }

  async readLive(window: KpiWindow, source: string | null): Promise<LiveKpis> {
    const command = (this.redis as unknown as { stockwallReadKpis: ReadKpisCommand }).stockwallReadKpis.bind(
      this.redis,
    );
    return this.toKpis(window, source, await command(3, ...this.readArguments(window, source)));
  }

  /**
   * The same figures and the live-state version they reflect. The version and the read run in one
   * MULTI, so no batch is applied between them. EVAL rather than the cached command: a NOSCRIPT
   * inside a transaction could not be retried.
   */
  async readLiveWithVersion(window: KpiWindow, source: string | null): Promise<VersionedKpis> {
    const results = await this.redis
      .multi()
      .get(this.keys.version())
      .eval(READ_KPIS_SCRIPT, 3, ...this.readArguments(window, source))
      .exec();
    if (!results) throw new Error('KPI read transaction was discarded');
    const [[versionError, version], [readError, read]] = results;
    if (versionError) throw versionError;
    if (readError) throw readError;
    return {
      version: Number((version as string | null) ?? 0),
      kpis: this.toKpis(window, source, read as ReadKpisResult),
    };
  }

  /** The window's live and late sales sums in one atomic read; null before the first event (no watermark). */
  async readWindowTotals(window: KpiWindow, source: string | null): Promise<LiveAndLateSales | null> {
    const command = (
      this.redis as unknown as { stockwallReadWindowTotals: ReadWindowTotalsCommand }
    ).stockwallReadWindowTotals.bind(this.redis);
    const { lengthMs, bucketMs } = KPI_WINDOW_SPECS[window];
    const [watermarkText, encoded] = await command(
      1,
      this.keys.watermark(),
      this.keys.kpiBucketPrefix(),
      String(bucketMs),
      source ?? ALL_SOURCES,
      String(lengthMs / bucketMs),
    );
    if (watermarkText === null) return null;
    const watermark = Number(watermarkText);
    const numbers = encoded.map(Number);
    const sales = (offset: number): WindowSalesSums => ({
      orders: numbers[offset],
      revenueCents: numbers[offset + 1],
      units: numbers[offset + 2],
      cogsCents: numbers[offset + 3],
      events: numbers[offset + 4],
    });
    return {
      watermark,
      fromMs: windowStart(window, watermark),
      endMs: bucketStart(watermark, bucketMs) + bucketMs,
      live: sales(0),
      late: sales(5),
    };
  }

  private readArguments(window: KpiWindow, source: string | null): string[] {
    const { lengthMs, bucketMs } = KPI_WINDOW_SPECS[window];
    return [
      this.keys.watermark(),
      this.keys.stockTotals(),
      `${this.keys.prefix}kpi-scratch`,
      this.keys.kpiBucketPrefix(),
      String(bucketMs),
      source ?? ALL_SOURCES,
      String(lengthMs / bucketMs),
      String(TOP_SKU_COUNT),
    ];
  }

  private toKpis(window: KpiWindow, source: string | null, read: ReadKpisResult): LiveKpis {
    const [watermark, totalsFlat, encoded, ranked] = read;
    const numbers = encoded.map(Number);
    const skus: WindowSums['skus'] = [];
    for (let index = 0; index < ranked.length; index += 3) {
      skus.push({ sku: ranked[index], units: Number(ranked[index + 1]), revenueCents: Number(ranked[index + 2]) });
    }
    const sums: WindowSums = {
      orders: numbers[0] ?? 0,
      revenueCents: numbers[1] ?? 0,
      units: numbers[2] ?? 0,
      cogsCents: numbers[3] ?? 0,
      coveredMs: numbers[5] ?? 0,
      outOfStockMs: numbers[6] ?? 0,
      activeMs: numbers[7] ?? 0,
      valueCentsMs: numbers[8] ?? 0,
      skus,
    };
    const { overall, locations, late } = parseTotals(totalsFlat);
    return computeKpis({
      window,
      source,
      watermark: watermark === null ? null : Number(watermark),
      sums,
      lateEvents: late[source ?? ALL_SOURCES] ?? 0,
      overall,
      locations,
    });
  }
}

/** The totals hash holds `<location>:<field>`, `*:<field>` and `late:<source>` counters. */
export function parseTotals(flat: string[]): {
  overall: TotalsSums;
  locations: Record<string, TotalsSums>;
  late: Record<string, number>;
} {
  const overall = { ...EMPTY_TOTALS };
  const locations: Record<string, TotalsSums> = {};
  const late: Record<string, number> = {};
  for (let index = 0; index < flat.length; index += 2) {
    const field = flat[index];
    const value = Number(flat[index + 1]);
    const separator = field.lastIndexOf(':');
    const scope = field.slice(0, separator);
    const name = field.slice(separator + 1);
    if (field.startsWith('late:')) {
      late[field.slice('late:'.length)] = value;
      continue;
    }
    const key = TOTAL_FIELDS[name];
    if (!key) continue;
    if (scope === ALL_SOURCES) overall[key] = value;
    else (locations[scope] ??= { ...EMPTY_TOTALS })[key] = value;
  }
  return { overall, locations, late };
}

import { parseArgs } from 'node:util';
import { KpiRepository, LiveStateRepository } from '@stockwall/aggregation';
import { loadConfig, StockwallConfig } from '@stockwall/config';
import { KpiWindow, toCents } from '@stockwall/contracts';
import { openDatabase } from '@stockwall/persistence';
import { connectRedis } from '@stockwall/platform';
import { Drift, findStockDrift, findWindowDrift, StockFigures, WindowTotals } from '../reconcile/stock-drift';
import { CliUsageError } from './cli-error';

export const RECONCILE_USAGE = 'reconcile [--wait <seconds>] [--quiet] — compare live Redis state with MySQL';
const WINDOWS: KpiWindow[] = ['1h', '24h'];

export interface ReconcileReport {
  drift: Drift[];
  notes: string[];
  skus: number;
}

/**
 * Compares the live state in Redis with MySQL: stock per SKU and location, and the 1h and 24h window
 * totals against the per-minute rollups over the same span. With `waitSeconds`, compares again
 * until there is no drift or the time is up (persistence may be a few batches behind).
 */
export async function reconcile(config: StockwallConfig, waitSeconds = 0): Promise<ReconcileReport> {
  const redis = await connectRedis(config.redis.url);
  const dataSource = await openDatabase(config.database).catch(async (error: unknown) => {
    await redis.quit();
    throw error;
  });
  try {
    const deadline = Date.now() + waitSeconds * 1_000;
    for (;;) {
      const report = await compareOnce(config, redis, dataSource);
      if (report.drift.length === 0 || Date.now() >= deadline) return report;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await dataSource.destroy();
    await redis.quit();
  }
}

async function compareOnce(
  config: StockwallConfig,
  redis: Awaited<ReturnType<typeof connectRedis>>,
  dataSource: Awaited<ReturnType<typeof openDatabase>>,
): Promise<ReconcileReport> {
  const liveState = new LiveStateRepository(redis, config.redis.prefix);
  const live: StockFigures[] = [];
  for (let cursor: string | undefined; ;) {
    const page = await liveState.listStock({ limit: 1_000, cursor });
    live.push(...page.rows.map(({ sku, location, onHand, committed }) => ({ sku, location, onHand, committed })));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  const stored = (
    await dataSource.query<{ sku: string; location: string; on_hand: number; committed: number }[]>(
      'SELECT sku, location, on_hand, committed FROM stock_levels',
    )
  ).map((row) => ({
    sku: row.sku,
    location: row.location,
    onHand: Number(row.on_hand),
    committed: Number(row.committed),
  }));
  const drift = findStockDrift(live, stored);
  const notes: string[] = [];
  const kpis = new KpiRepository(redis, config.redis.prefix);
  for (const window of WINDOWS) {
    const liveKpis = await kpis.readLive(window, null);
    if (!liveKpis.from || !liveKpis.to) continue;
    if (liveKpis.lateEvents > 0) {
      // Late events are in MySQL but, by design, not in the live windows.
      notes.push(`window ${window}: not compared, ${liveKpis.lateEvents} late events are left out of live windows`);
      continue;
    }
    const [row] = await dataSource.query<Record<string, string | null>[]>(
      `SELECT SUM(orders) AS orders, SUM(revenue_cents) AS revenue, SUM(units) AS units, SUM(cogs_cents) AS cogs
       FROM kpi_minute WHERE minute_at >= ? AND minute_at <= ?`,
      [new Date(liveKpis.from), new Date(liveKpis.to)],
    );
    const liveTotals: WindowTotals = {
      orders: liveKpis.orders,
      revenueCents: toCents(liveKpis.revenue) ?? NaN,
      units: liveKpis.units,
      cogsCents: toCents(liveKpis.cogs) ?? NaN,
    };
    const storedTotals: WindowTotals = {
      orders: Number(row?.orders ?? 0),
      revenueCents: Number(row?.revenue ?? 0),
      units: Number(row?.units ?? 0),
      cogsCents: Number(row?.cogs ?? 0),
    };
    drift.push(...findWindowDrift(window, liveTotals, storedTotals));
  }
  return { drift, notes, skus: live.length };
}

export async function reconcileCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { wait: { type: 'string', default: '0' }, quiet: { type: 'boolean', default: false } },
    strict: true,
  });
  if (!/^\d+$/.test(values.wait)) throw new CliUsageError(`--wait must be a number of seconds, got "${values.wait}"`);
  const report = await reconcile(loadConfig(), Number(values.wait));
  for (const note of report.notes) console.log(`note: ${note}`);
  if (report.drift.length === 0) {
    if (!values.quiet)
      console.log(`reconcile: no drift (${report.skus} SKU/location rows, windows ${WINDOWS.join(', ')})`);
    return;
  }
  for (const drift of report.drift) console.log(`drift: ${drift.what}: live ${drift.live}, MySQL ${drift.stored}`);
  console.log(`reconcile: ${report.drift.length} differences`);
  process.exitCode = 3;
}

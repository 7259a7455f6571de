import { KpiRepository, LiveAndLateSales, LiveStateRepository } from '@stockwall/aggregation';
import { StockwallConfig } from '@stockwall/config';
import { KpiWindow } from '@stockwall/contracts';
import { openExistingDatabase } from '@stockwall/persistence';
import { connectRedis } from '@stockwall/platform';
import { recomputedWindow, recomputeFromStoredEvents } from './recomputation';
import { Drift, findStockDrift, findWindowDrift, StockFigures, WindowTotals } from './stock-drift';

const WINDOWS: KpiWindow[] = ['1h', '24h'];

export interface ReconcileReport {
  drift: Drift[];
  /** Comparisons that could not be made, and why; empty when everything was compared. */
  notes: string[];
  skus: number;
  /** The windows whose totals were compared. */
  windows: KpiWindow[];
  /**
   * Whether the stored events were folded from nothing and compared too; false when the retention
   * prune removed events (or --no-recompute).
   */
  recomputed?: boolean;
}

/** The tables reconcile reads; it never creates or migrates them. */
const TABLES = ['stock_levels', 'kpi_minute', 'inventory_events', 'event_identities'];

export interface ReconcileOptions {
  waitSeconds?: number;
  /** Also fold every stored event from nothing and compare (default true). */
  recompute?: boolean;
}

/**
 * Compares the live state in Redis with MySQL: stock per SKU and location, and the 1h and 24h window
 * totals against the per-minute rollups over exactly the window's minutes. Events later than the
 * allowed lateness are left out of the live windows but kept in MySQL, so the live side is the
 * window's sums plus the late sums kept in the same buckets. With `waitSeconds`, compares again
 * until there is no drift and nothing was left uncompared (a live state without a watermark yet
 * has applied nothing), or the time is up (persistence may be a few batches behind).
 * MySQL is only read: a missing database or table fails with one line.
 */
export async function reconcile(
  config: StockwallConfig,
  waitSecondsOrOptions: number | ReconcileOptions = 0,
): Promise<ReconcileReport> {
  const options =
    typeof waitSecondsOrOptions === 'number' ? { waitSeconds: waitSecondsOrOptions } : waitSecondsOrOptions;
  const waitSeconds = options.waitSeconds ?? 0;
  const recompute = options.recompute ?? true;
  const redis = await connectRedis(config.redis.url);
  const dataSource = await openExistingDatabase(config.database, TABLES).catch(async (error: unknown) => {
    await redis.quit();
    throw error;
  });
  const live: LiveReaders = {
    stock: new LiveStateRepository(redis, config.redis.prefix),
    kpis: new KpiRepository(redis, config.redis.prefix),
  };
  try {
    const deadline = Date.now() + waitSeconds * 1_000;
    for (;;) {
      let report = await compareOnce(live, dataSource);
      // The full recomputation reads every stored event: only once the cheap comparison is clean.
      if (recompute && report.drift.length === 0 && report.notes.length === 0) {
        report = await compareWithRecomputation(live, dataSource, report);
      }
      if ((report.drift.length === 0 && report.notes.length === 0) || Date.now() >= deadline) return report;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await dataSource.destroy();
    await redis.quit();
  }
}

/** The live state's readers: the stock rows and the KPI windows in Redis. */
interface LiveReaders {
  stock: LiveStateRepository;
  kpis: KpiRepository;
}

/** Every SKU and location of the live state, page by page. */
async function readLiveStock(liveState: LiveStateRepository): Promise<StockFigures[]> {
  const live: StockFigures[] = [];
  for (let cursor: string | undefined; ;) {
    const page = await liveState.listStock({ limit: 1_000, cursor });
    live.push(...page.rows.map(({ sku, location, onHand, committed }) => ({ sku, location, onHand, committed })));
    if (!page.nextCursor) return live;
    cursor = page.nextCursor;
  }
}

/** A live window's totals: its sums plus the late sums kept in the same buckets. */
function liveWindowTotals(sales: LiveAndLateSales): WindowTotals {
  return {
    orders: sales.live.orders + sales.late.orders,
    revenueCents: sales.live.revenueCents + sales.late.revenueCents,
    units: sales.live.units + sales.late.units,
    cogsCents: sales.live.cogsCents + sales.late.cogsCents,
  };
}

async function compareOnce(
  readers: LiveReaders,
  dataSource: Awaited<ReturnType<typeof openExistingDatabase>>,
): Promise<ReconcileReport> {
  const live = await readLiveStock(readers.stock);
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
  const windows: KpiWindow[] = [];
  for (const window of WINDOWS) {
    const sales = await readers.kpis.readWindowTotals(window, null);
    if (!sales) {
      notes.push(`window ${window}: not compared, the live state has no watermark yet`);
      continue;
    }
    // The live window ends with the bucket that holds the watermark (a quarter hour for 24h), so
    // the rollups are summed over the same minutes: up to that bucket's end, not the watermark.
    const [row] = await dataSource.query<Record<string, string | null>[]>(
      `SELECT SUM(orders) AS orders, SUM(revenue_cents) AS revenue, SUM(units) AS units, SUM(cogs_cents) AS cogs
       FROM kpi_minute WHERE minute_at >= ? AND minute_at < ?`,
      [new Date(sales.fromMs), new Date(sales.endMs)],
    );
    const storedTotals: WindowTotals = {
      orders: Number(row?.orders ?? 0),
      revenueCents: Number(row?.revenue ?? 0),
      units: Number(row?.units ?? 0),
      cogsCents: Number(row?.cogs ?? 0),
    };
    drift.push(...findWindowDrift(window, liveWindowTotals(sales), storedTotals));
    windows.push(window);
  }
  return { drift, notes, skus: live.length, windows };
}

/**
 * Compares the live state with a fold of every stored event in the one order of effects: stock per
 * SKU and location, and the 1h and 24h windows (live plus late sums) against the recomputed lines.
 */
async function compareWithRecomputation(
  readers: LiveReaders,
  dataSource: Awaited<ReturnType<typeof openExistingDatabase>>,
  report: ReconcileReport,
): Promise<ReconcileReport> {
  const recomputation = await recomputeFromStoredEvents(dataSource);
  if (!recomputation) {
    return { ...report, recomputed: false, notes: [...report.notes] };
  }
  const live = await readLiveStock(readers.stock);
  const drift = findStockDrift(live, recomputation.stock).map((entry) => ({
    ...entry,
    what: `${entry.what} (recomputed from ${recomputation.events} stored events)`,
  }));
  for (const window of report.windows) {
    const sales = await readers.kpis.readWindowTotals(window, null);
    if (!sales) continue;
    drift.push(
      ...findWindowDrift(
        `${window} (recomputed)`,
        liveWindowTotals(sales),
        recomputedWindow(recomputation, sales.fromMs, sales.endMs),
      ),
    );
  }
  return { ...report, drift: [...report.drift, ...drift], recomputed: true };
}

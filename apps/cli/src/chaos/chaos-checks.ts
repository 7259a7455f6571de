import { KpiRepository, LiveStateRepository } from '@stockwall/aggregation';
import type { KpiWindow } from '@stockwall/contracts';
import { reconcile } from '../reconcile/reconcile';
import { Drift, findStockDrift, StockFigures } from '../reconcile/stock-drift';
import type { ChaosSystem } from './chaos-system';
import type { ExpectedState } from './expected-state';
import type { PlacedPoison } from './chaos-faults';
import type { LiveMirror } from './live-mirror';

/** One end check: passed or not, with what was found. */
export interface CheckResult {
  name: string;
  passed: boolean;
  summary: string;
  /** The first differences, for the report. */
  details: string[];
}

const SHOWN = 12;
const WINDOWS: KpiWindow[] = ['1h', '24h'];

function result(name: string, problems: string[], okSummary: string, failSummary?: string): CheckResult {
  return {
    name,
    passed: problems.length === 0,
    summary: problems.length === 0 ? okSummary : (failSummary ?? `${problems.length} problem(s)`),
    details: problems.slice(0, SHOWN),
  };
}

function showDrift(drift: Drift[]): string[] {
  return drift.map((entry) => `${entry.what}: got ${entry.live}, expected ${entry.stored}`);
}

/** Every SKU/location row of the live state. */
export async function readLiveStock(system: ChaosSystem): Promise<StockFigures[]> {
  const repository = new LiveStateRepository(system.monitor, system.config.redis.prefix);
  const rows: StockFigures[] = [];
  for (let cursor: string | undefined; ;) {
    const page = await repository.listStock({ limit: 1_000, cursor });
    rows.push(...page.rows.map(({ sku, location, onHand, committed }) => ({ sku, location, onHand, committed })));
    if (!page.nextCursor) return rows;
    cursor = page.nextCursor;
  }
}

/** `reconcile` as the CLI runs it: Redis against MySQL, stock and the 1h/24h windows. */
export async function checkReconcile(system: ChaosSystem, waitSeconds: number): Promise<CheckResult> {
  const report = await reconcile(system.config, waitSeconds);
  const problems = [
    ...report.notes.map((note) => `note: ${note}`),
    ...report.drift.map((drift) => `${drift.what}: live ${drift.live}, MySQL ${drift.stored}`),
  ];
  return result(
    'reconcile (Redis = MySQL)',
    problems,
    `no drift over ${report.skus} SKU/location rows, windows ${report.windows.join(', ')}`,
    `${report.drift.length} differences, ${report.notes.length} notes`,
  );
}

/**
 * The recomputation from the sent events against the live stock, the stored stock and both windows.
 * When rows differ, `withoutLost` (the recomputation without the events missing from MySQL) tells how
 * many differences the lost events explain.
 */
export async function checkRecomputation(
  system: ChaosSystem,
  expected: ExpectedState,
  withoutLost: () => Promise<{ lost: number; expected: ExpectedState }>,
): Promise<CheckResult[]> {
  const expectedRows = expected.rows();
  const live = await readLiveStock(system);
  const liveDrift = findStockDrift(live, expectedRows);
  const dataSource = await system.mysqlConnection();
  if (!dataSource) throw new Error('MySQL does not answer for the end checks');
  const diagnosis: string[] = [];
  if (liveDrift.length > 0) {
    const reduced = await withoutLost();
    if (reduced.lost > 0) {
      const remaining = findStockDrift(live, reduced.expected.rows());
      diagnosis.push(
        `without the ${reduced.lost} events missing from MySQL the recomputation differs from Redis in ` +
          `${remaining.length} rows${remaining.length > 0 ? `, e.g. ${showDrift(remaining).slice(0, 3).join('; ')}` : ': the lost events explain every difference'}`,
      );
    }
  }
  const [storedRows] = await dataSource.query('SELECT sku, location, on_hand, committed FROM stock_levels');
  const stored = (storedRows as { sku: string; location: string; on_hand: number; committed: number }[]).map((row) => ({
    sku: row.sku,
    location: row.location,
    onHand: Number(row.on_hand),
    committed: Number(row.committed),
  }));
  const storedDrift = findStockDrift(stored, expectedRows);

  const windowProblems: string[] = [];
  const kpis = new KpiRepository(system.monitor, system.config.redis.prefix);
  const watermark = Number(await system.monitor.get(system.keys.watermark()));
  if (watermark !== expected.watermark) {
    windowProblems.push(
      `watermark: got ${new Date(watermark).toISOString()}, expected ${new Date(expected.watermark).toISOString()}`,
    );
  }
  for (const window of WINDOWS) {
    const sales = await kpis.readWindowTotals(window, null);
    if (!sales) {
      windowProblems.push(`window ${window}: the live state has no watermark`);
      continue;
    }
    const want = expected.salesBetween(sales.fromMs, sales.endMs);
    const got = {
      orders: sales.live.orders + sales.late.orders,
      revenueCents: sales.live.revenueCents + sales.late.revenueCents,
      units: sales.live.units + sales.late.units,
      cogsCents: sales.live.cogsCents + sales.late.cogsCents,
    };
    for (const field of ['orders', 'revenueCents', 'units', 'cogsCents'] as const) {
      if (got[field] !== want[field])
        windowProblems.push(`window ${window} ${field}: live ${got[field]}, expected ${want[field]}`);
    }
  }
  return [
    result(
      'recomputation = Redis stock',
      liveDrift.length > 0 ? [...diagnosis, ...showDrift(liveDrift)] : [],
      `${expectedRows.length} SKU/location rows equal`,
      `${liveDrift.length} of ${expectedRows.length} rows differ`,
    ),
    result(
      'recomputation = MySQL stock',
      showDrift(storedDrift),
      `${expectedRows.length} SKU/location rows equal`,
      `${storedDrift.length} of ${expectedRows.length} rows differ`,
    ),
    result(
      'recomputation = live windows (1h, 24h) and watermark',
      windowProblems,
      'orders, revenue, units, COGS equal',
    ),
  ];
}

/** Each event id in MySQL with how many rows hold it. */
export async function storedEventIds(system: ChaosSystem): Promise<Map<string, number>> {
  const mysql = await system.mysqlConnection();
  if (!mysql) throw new Error('MySQL does not answer for the end checks');
  const [rows] = await mysql.query('SELECT event_id, COUNT(*) AS copies FROM inventory_events GROUP BY event_id');
  return new Map((rows as { event_id: string; copies: number }[]).map((row) => [row.event_id, Number(row.copies)]));
}

/**
 * Every sent event id is in MySQL exactly once, nothing else is (no poison record, no invented id),
 * and every poison or oversize record is a dead letter with its reason, exactly once.
 */
export async function checkEventsAndDeadLetters(
  system: ChaosSystem,
  expected: ExpectedState,
  poison: PlacedPoison[],
  aggregatedIds: ReadonlySet<string>,
): Promise<CheckResult[]> {
  const mysql = await system.mysqlConnection();
  if (!mysql) throw new Error('MySQL does not answer for the end checks');
  const [rows] = await mysql.query('SELECT event_id, COUNT(*) AS copies FROM inventory_events GROUP BY event_id');
  const stored = new Map(
    (rows as { event_id: string; copies: number }[]).map((row) => [row.event_id, Number(row.copies)]),
  );
  const sent = expected.eventIds();
  const lost: string[] = [];
  for (const id of sent) if (!stored.has(id)) lost.push(id);
  const doubled = [...stored].filter(([, copies]) => copies > 1).map(([id, copies]) => `${id} stored ${copies} times`);
  // A sent event stored a second time under `<id>~r<hash>` is a re-delivery the live apply counted too.
  const unexpected: string[] = [];
  for (const id of stored.keys()) {
    if (sent.has(id)) continue;
    const original = id.split('~r')[0];
    if (original !== id && sent.has(original)) {
      doubled.push(
        `${original} stored again as ${id} (a re-delivery: counted twice; the event was sent ` +
          `${aggregatedIds.has(original) ? 'inside a KPL aggregate' : 'as a plain record'}, and re-sent once as a plain record)`,
      );
    } else unexpected.push(id);
  }

  const [letters] = await mysql.query(
    'SELECT shard_id, sequence_number, sub_sequence, reason, detail FROM dead_letters WHERE stream_name = ?',
    [system.streamName],
  );
  const deadLetters = letters as { shard_id: string; sequence_number: string; reason: string; detail: string }[];
  const byPosition = new Map<string, typeof deadLetters>();
  for (const letter of deadLetters) {
    const key = `${letter.shard_id}/${letter.sequence_number}`;
    byPosition.set(key, [...(byPosition.get(key) ?? []), letter]);
  }
  const letterProblems: string[] = [];
  for (const record of poison) {
    const found = byPosition.get(`${record.shardId}/${record.sequence}`) ?? [];
    byPosition.delete(`${record.shardId}/${record.sequence}`);
    if (found.length !== 1) letterProblems.push(`${record.kind} (${record.marker}): ${found.length} dead letters`);
    else if (found[0].reason !== record.reason) {
      letterProblems.push(`${record.kind} (${record.marker}): reason ${found[0].reason}, expected ${record.reason}`);
    }
  }
  for (const [position, extra] of byPosition) {
    for (const letter of extra) {
      letterProblems.push(
        `a good record was dead-lettered at ${position}: ${letter.reason} ${letter.detail.slice(0, 160)}`,
      );
    }
  }
  return [
    result(
      'zero lost (every sent event id in MySQL)',
      [...lost.map((id) => `missing: ${id}`), ...unexpected.map((id) => `not sent: ${id}`)],
      `${sent.size} of ${sent.size} event ids stored`,
      `${lost.length} of ${sent.size} missing (${lost.filter((id) => aggregatedIds.has(id)).length} of them sent ` +
        `inside KPL aggregates, which held ${aggregatedIds.size} events), ${unexpected.length} stored that were never sent`,
    ),
    result(
      'zero double counted (each id once in MySQL)',
      doubled,
      'no event id stored twice',
      `${doubled.length} events stored twice`,
    ),
    result(
      'poison and oversize records dead-lettered',
      letterProblems,
      `${poison.length} of ${poison.length} with the expected reason, no other dead letters`,
    ),
  ];
}

/** Every socket client holds exactly the live state at the live version. */
export async function checkSocketClients(
  system: ChaosSystem,
  mirrors: LiveMirror[],
  timeoutMs: number,
): Promise<CheckResult> {
  const deadline = Date.now() + timeoutMs;
  let problems: string[] = [];
  for (;;) {
    const version = await system.version();
    const live = await readLiveStock(system);
    problems = [];
    for (const mirror of mirrors) {
      if (!mirror.connected) problems.push(`${mirror.name}: not connected (${mirror.lastError ?? 'no error'})`);
      if (mirror.version !== version) problems.push(`${mirror.name}: at version ${mirror.version}, live ${version}`);
      const held = [...mirror.rows.values()].map(({ sku, location, onHand, committed }) => ({
        sku,
        location,
        onHand,
        committed,
      }));
      const drift = findStockDrift(held, live);
      if (drift.length > 0) problems.push(`${mirror.name}: ${drift.length} rows differ, e.g. ${showDrift(drift)[0]}`);
    }
    if (problems.length === 0 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const reconnects = mirrors.map((mirror) => `${mirror.name} ${mirror.connects}`).join(', ');
  return result(
    'socket clients on the final state',
    problems,
    `${mirrors.length} clients equal Redis (connects: ${reconnects})`,
  );
}

/** Closed shards were read to SHARD_END, and every process is still running. */
export async function checkShardsAndProcesses(system: ChaosSystem): Promise<CheckResult> {
  const problems: string[] = [];
  const closed = (await system.shards()).filter((shard) => shard.SequenceNumberRange?.EndingSequenceNumber);
  for (const shard of closed) {
    if (!(await system.checkpointEnded(shard.ShardId!))) problems.push(`${shard.ShardId} closed but not at SHARD_END`);
  }
  for (const child of [...system.workers, ...system.apis.map((api) => api.process)]) {
    if (!child.running) problems.push(`${child.name} is not running:\n${child.tail(8)}`);
  }
  return result(
    'closed shards at SHARD_END, all processes up',
    problems,
    `${closed.length} closed shard(s) ended; ${system.workers.length} workers and ${system.apis.length} APIs up`,
  );
}

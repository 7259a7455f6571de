import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveStateRepository } from '@stockwall/aggregation';
import { pruneEvents } from '@stockwall/persistence';
import { parseCsv } from '../apps/cli/src/replay/csv-records';
import { aProductAdded } from './factories/wire-events';
import { runCli } from './support/console-session';
import { DATASETS_DIR } from './support/datasets';
import { eventually, TestStack } from './support/test-stack';

const DEDUPE_WINDOW_SECONDS = 2;

/** Runs `cli replay <dir> --format cafe --max` as a process against the stack; `output` is its stdout and stderr. */
async function runReplay(stack: TestStack, directory: string): Promise<{ code: number | null; output: string }> {
  const { code, stdout, stderr } = await runCli(stack, ['replay', directory, '--format', 'cafe', '--max'], '', {
    KINESIS_ENDPOINT: stack.emulator.endpoint,
    KINESIS_STREAM: stack.config.kinesis.streamName,
    KINESIS_SHARDS: String(stack.config.kinesis.shardCount),
    DEDUPE_WINDOW_SECONDS: String(DEDUPE_WINDOW_SECONDS),
  });
  return { code, output: stdout + stderr };
}

function summaryNumber(output: string, label: string): number {
  const match = new RegExp(`${label}:\\s+(\\d+)`).exec(output);
  if (!match) throw new Error(`no "${label}" in the replay's output:\n${output}`);
  return Number(match[1]);
}

/** Everything a re-import could change: MySQL's events, rollups and stock, and Redis stock. */
async function state(stack: TestStack) {
  const data = stack.infrastructure.dataSource;
  const [events] = await data.query('SELECT COUNT(*) AS count FROM inventory_events');
  const [identities] = await data.query('SELECT COUNT(*) AS count FROM event_identities');
  const rollup = async (table: string) =>
    (
      await data.query(
        `SELECT source, location, SUM(orders) AS orders, SUM(units) AS units, SUM(revenue_cents) AS revenue,
           SUM(cogs_cents) AS cogs FROM ${table} GROUP BY source, location ORDER BY source, location`,
      )
    ).map((row: Record<string, unknown>) => Object.values(row).map(String).join('|'));
  const stock = (
    await data.query('SELECT sku, location, on_hand, committed FROM stock_levels ORDER BY location, sku')
  ).map((row: Record<string, unknown>) => Object.values(row).map(String).join('|'));
  const live = new LiveStateRepository(stack.infrastructure.redis, stack.config.redis.prefix);
  const liveStock = (await live.readSnapshot()).rows
    .map((row) => `${row.location}|${row.sku}|${row.onHand}|${row.committed}`)
    .sort();
  return {
    events: Number(events.count),
    identities: Number(identities.count),
    kpiMinute: await rollup('kpi_minute'),
    kpiHour: await rollup('kpi_hour'),
    stock,
    liveStock,
  };
}

/**
 * Replays are idempotent for ever: two café files with the same name in different folders are
 * both counted, and a second import after the retention prune deleted the first one's events
 * changes nothing, in MySQL or in the live state (past the producer-retry dedupe window).
 */
describe('Replay: every sale once, and a re-import after the prune changes nothing', () => {
  jest.setTimeout(300_000);
  let stack: TestStack;
  let directory: string;

  beforeAll(async () => {
    stack = await TestStack.start({
      shards: 4,
      workers: 2,
      api: false,
      env: { DEDUPE_WINDOW_SECONDS: String(DEDUPE_WINDOW_SECONDS) },
    });
    directory = mkdtempSync(join(tmpdir(), 'replay-idempotent-'));
  });

  afterAll(async () => {
    await stack?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('counts both files, keeps the ids past the prune, and a re-import changes nothing', async () => {
    // Same name, same branch and day, different sales (the data set holds both).
    const name = 'chesterfield_25-08-2021_09-00-00.csv';
    const sources = [join(DATASETS_DIR, 'cafe/branches', name), join(DATASETS_DIR, 'cafe/other', name)];
    const rows = sources.flatMap((file) => parseCsv(readFileSync(file, 'utf8')));
    const items = rows.reduce((sum, row) => sum + row.fields[3].split(',').length, 0);
    const revenue = rows.reduce((sum, row) => sum + Math.round(Number(row.fields[4]) * 100), 0);
    for (const [index, folder] of ['branches', 'other'].entries()) {
      mkdirSync(join(directory, 'cafe', folder), { recursive: true });
      copyFileSync(sources[index], join(directory, 'cafe', folder, name));
    }

    const first = await runReplay(stack, join(directory, 'cafe'));
    expect(first.code).toBe(0);
    const sent = summaryNumber(first.output, 'events sent');
    const data = stack.infrastructure.dataSource;
    await eventually(
      async () => {
        const [{ count }] = await data.query('SELECT COUNT(*) AS count FROM inventory_events');
        return Number(count) === sent ? true : undefined;
      },
      120_000,
      `${sent} events in MySQL`,
    );
    // Every sale counted: one order per row, every basket item a unit, every total in the revenue.
    const [orders] = await data.query(
      `SELECT COUNT(*) AS count FROM inventory_events WHERE event_type = 'order_placed'`,
    );
    expect(Number(orders.count)).toBe(rows.length);
    for (const table of ['kpi_minute', 'kpi_hour']) {
      const [totals] = await data.query(
        `SELECT SUM(orders) AS orders, SUM(units) AS units, SUM(revenue_cents) AS revenue FROM ${table}`,
      );
      expect({
        table,
        orders: Number(totals.orders),
        units: Number(totals.units),
        revenue: Number(totals.revenue),
      }).toEqual({ table, orders: rows.length, units: items, revenue });
    }

    // Prune with a retention the café events are older than: a later event moves the clock on.
    const clock = '2021-10-01T00:00:00Z';
    await stack.publish(
      aProductAdded({
        id: 'idempotent-prune-clock',
        occurredAt: clock,
        location: 'prune-clock',
        sku: 'prune-clock',
        name: 'Prune clock',
        quantity: 1,
        at: clock,
      }),
    );
    await eventually(
      async () => {
        const [{ count }] = await data.query('SELECT COUNT(*) AS count FROM inventory_events');
        return Number(count) === sent + 1 ? true : undefined;
      },
      60_000,
      'the clock event in MySQL',
    );
    const beforePrune = await state(stack);
    expect(beforePrune.identities).toBe(sent + 1);
    const pruned = await pruneEvents(data, 7, Date.now());
    expect(pruned.events).toBe(sent);
    const before = await state(stack);
    expect(before.events).toBe(1);
    // The prune deletes events, never their ids.
    expect(before.identities).toBe(beforePrune.identities);
    expect(before.kpiMinute).toEqual(beforePrune.kpiMinute);

    // Past the dedupe window, the live apply itself would no longer drop a repeat.
    await eventually(
      async () =>
        (await stack.infrastructure.redis.keys(`${stack.config.redis.prefix}dedupe:*`)).length === 0 ? true : undefined,
      30_000,
      'the dedupe window to pass',
    );
    const again = await runReplay(stack, join(directory, 'cafe'));
    expect(again.code).toBe(0);
    expect(summaryNumber(again.output, 'events sent')).toBe(0);
    expect(summaryNumber(again.output, 'already imported')).toBe(rows.length * 2);

    // Nothing was sent; give anything that was a chance to land before comparing.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(await state(stack)).toEqual(before);
  });
});

import { spawn } from 'node:child_process';
import path from 'node:path';
import type { WireEvent } from '@stockwall/contracts';
import { reconcile } from '../apps/cli/src/commands/reconcile.command';
import { anOrderEvent, aProductAdded, type OrderType } from './factories/wire-events';
import { historyDay } from './support/history-events';
import { eventually, TestStack } from './support/test-stack';

const ROOT = path.resolve(__dirname, '..');
const REGISTER = path.join(__dirname, 'support', 'ts-register.js');
const CLI = path.join(ROOT, 'apps/cli/src/main.ts');

/** Runs `cli reconcile` as a process against the stack's Redis prefix and database. */
function runReconcile(
  stack: TestStack,
  databaseUrl = stack.config.database.url,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', REGISTER, CLI, 'reconcile'], {
      cwd: ROOT,
      env: {
        ...process.env,
        REDIS_URL: stack.config.redis.url,
        REDIS_PREFIX: stack.config.redis.prefix,
        DATABASE_URL: databaseUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

function order(id: string, occurredAt: string, sku: string, source: string, kinds: string[]): WireEvent[] {
  const lines = [{ sku, quantity: 1, unit_price: 4.2 }];
  return kinds.map((kind) =>
    anOrderEvent(`order_${kind}` as OrderType, { id: `${id}-${kind}`, orderId: id, occurredAt, source, lines }),
  );
}

describe('Reconcile: late events, window bounds, a read-only database and the exit code', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 1, env: { ALLOWED_LATENESS_SECONDS: '60' } });
    await stack.publish(...historyDay('R'));
    await eventually(async () => {
      const kpis = (await stack.get('/api/v1/kpis/live?window=24h')).body;
      return kpis.watermark === '2024-03-01T09:02:50.000Z' ? true : undefined;
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('compares the windows after late events, with MySQL keeping them in their minute', async () => {
    const before = (await stack.get('/api/v1/kpis/live?window=1h')).body;
    // With the watermark at 09:02:50 and one minute of lateness, minutes up to 09:00 are late:
    // in the 1h window (08:40, 09:00), only in the 24h one (the day before, 10:00), in neither (two days before).
    await stack.publish(
      ...order('R-late-1', '2024-03-01T08:40:05Z', 'R-A', 'web', ['placed', 'fulfilled']),
      ...order('R-late-2', '2024-02-29T10:00:00Z', 'R-B', 'chesterfield', ['placed']),
      ...order('R-late-2', '2024-03-01T09:00:30Z', 'R-B', 'chesterfield', ['cancelled']),
      ...order('R-late-3', '2024-02-28T12:00:00Z', 'R-A', 'web', ['placed', 'returned']),
    );
    const after = await eventually(async () => {
      const kpis = (await stack.get('/api/v1/kpis/live?window=1h')).body;
      return kpis.lateEvents === before.lateEvents + 6 ? kpis : undefined;
    });
    // Live windows still leave late events out.
    expect({ orders: after.orders, revenue: after.revenue, units: after.units, cogs: after.cogs }).toEqual({
      orders: before.orders,
      revenue: before.revenue,
      units: before.units,
      cogs: before.cogs,
    });

    const report = await reconcile(stack.config, 30);
    expect(report.notes).toEqual([]);
    expect(report.windows).toEqual(['1h', '24h']);
    expect(report.drift).toEqual([]);
  });

  it('reports a stored event the live state did not apply that way, from the recomputation alone', async () => {
    const { dataSource } = stack.infrastructure;
    await eventually(async () => ((await reconcile(stack.config)).drift.length === 0 ? true : undefined));
    // stock_levels and the rollups are untouched: only folding the stored events again can see this.
    const [row] = await dataSource.query<{ id: string; payload: string | object }[]>(
      "SELECT id, payload FROM inventory_events WHERE event_type = 'order_fulfilled' ORDER BY id LIMIT 1",
    );
    const original = typeof row.payload === 'string' ? row.payload : JSON.stringify(row.payload);
    const event = JSON.parse(original) as { lines: { quantity: number }[] };
    const changed = { ...event, lines: event.lines.map((line) => ({ ...line, quantity: line.quantity + 1 })) };
    await dataSource.query('UPDATE inventory_events SET payload = ? WHERE id = ?', [JSON.stringify(changed), row.id]);
    try {
      const report = await reconcile(stack.config);
      expect(report.recomputed).toBe(true);
      expect(report.drift.length).toBeGreaterThan(0);
      expect(report.drift.every((drift) => drift.what.includes('recomputed'))).toBe(true);
      expect(report.drift.map((drift) => drift.what)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^stock .* \(recomputed from \d+ stored events\)$/)]),
      );
    } finally {
      await dataSource.query('UPDATE inventory_events SET payload = ? WHERE id = ?', [original, row.id]);
    }
    expect((await reconcile(stack.config)).drift).toEqual([]);
  });

  it('reports a changed kpi_minute row as drift and exits non-zero', async () => {
    const { dataSource } = stack.infrastructure;
    const late = new Date('2024-03-01T08:40:00Z');
    await dataSource.query('UPDATE kpi_minute SET orders = orders + 1 WHERE minute_at = ? AND source = ?', [
      late,
      'web',
    ]);
    try {
      const report = await reconcile(stack.config);
      expect(report.notes).toEqual([]);
      expect(report.drift.map((drift) => drift.what)).toEqual(['window 1h orders', 'window 24h orders']);
      const run = await runReconcile(stack);
      expect(run.output).toMatch(/drift: window 1h orders: live \d+, MySQL \d+/);
      expect(run.code).toBe(3);
    } finally {
      await dataSource.query('UPDATE kpi_minute SET orders = orders - 1 WHERE minute_at = ? AND source = ?', [
        late,
        'web',
      ]);
    }
    const clean = await runReconcile(stack);
    expect(clean.output).toMatch(
      /reconcile: no drift \(\d+ SKU\/location rows, windows 1h, 24h, recomputed from the stored events\)/,
    );
    expect(clean.code).toBe(0);
  }, 60_000);

  it('never creates or migrates a database: a missing one or its missing tables fail with one line', async () => {
    const { dataSource } = stack.infrastructure;
    const name = `${stack.config.database.name}_typo`;
    const url = new URL(stack.config.database.url);
    url.pathname = `/${name}`;
    const schemas = async () =>
      (
        await dataSource.query<{ name: string }[]>(
          'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
          [name],
        )
      ).length;

    await expect(reconcile({ ...stack.config, database: { url: url.toString(), name } })).rejects.toThrow(
      `MySQL database '${name}' does not exist`,
    );
    const missing = await runReconcile(stack, url.toString());
    expect(missing.output.trim().split('\n')).toEqual([expect.stringMatching(/does not exist .*check DATABASE_URL/)]);
    expect(missing.code).toBe(1);
    expect(await schemas()).toBe(0);

    await dataSource.query(`CREATE DATABASE \`${name}\``);
    try {
      await expect(reconcile({ ...stack.config, database: { url: url.toString(), name } })).rejects.toThrow(
        'has no table stock_levels, kpi_minute',
      );
      const tables = await dataSource.query<unknown[]>(
        'SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
        [name],
      );
      expect(tables).toEqual([]);
    } finally {
      await dataSource.query(`DROP DATABASE IF EXISTS \`${name}\``);
    }
  }, 60_000);
});

describe('Reconcile: the 24h window ends with the quarter hour that holds the watermark', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ shards: 1 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('counts a sale after the watermark minute on both sides when its quarter is in the window', async () => {
    // Event time ahead of the wall clock: the watermark stops at the clock, the sale lands in a later
    // minute, usually of the same quarter hour (in the 24h window, not in the 1h one).
    const now = Date.now();
    const iso = (offsetMs: number) => new Date(now + offsetMs).toISOString();
    await stack.publish(
      aProductAdded({ id: 'Q-add', sku: 'Q-1', name: 'Teapot', quantity: 50, at: iso(-120_000), unitCost: 3 }),
      ...order('Q-o1', iso(-60_000), 'Q-1', 'web', ['placed']),
      ...order('Q-o2', iso(60_000), 'Q-1', 'web', ['placed']),
    );
    const report = await reconcile(stack.config, 30);
    expect(report.notes).toEqual([]);
    expect(report.drift).toEqual([]);
    const live = (await stack.get('/api/v1/kpis/live?window=24h')).body;
    const sameQuarter = Math.floor((now + 60_000) / 900_000) === Math.floor(Date.parse(live.watermark) / 900_000);
    expect(live.orders).toBe(sameQuarter ? 2 : 1);
  });
});

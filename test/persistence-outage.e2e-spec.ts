import { ensureMariaDb, findFreePort, LocalService } from '@stockwall/local-stack';
import { reconcile } from '../apps/cli/src/commands/reconcile.command';
import { tradingStream } from './support/history-events';
import { eventually, TestStack } from './support/test-stack';

// The issue asks for a minute; 30 s keeps this file near two minutes on two cores and still spans
// several capped retries (the persist backoff tops out at 30 s). OUTAGE_SECONDS=60 runs the full minute.
const OUTAGE_MS = Number(process.env.OUTAGE_SECONDS ?? 30) * 1_000;
const EVENTS = 1_500;

describe('Persistence while MySQL is down: jobs wait and retry, the live path runs, nothing is missing', () => {
  let mariaDb: LocalService;
  let stack: TestStack;

  beforeAll(async () => {
    // A private MariaDB: the shared one on 3306 serves other tests and must never be stopped.
    const port = await findFreePort();
    mariaDb = await ensureMariaDb(`mysql://root@127.0.0.1:${port}/stockwall_outage`);
    expect(mariaDb.started).toBe(true);
    const url = new URL(mariaDb.url);
    url.pathname = '/stockwall_outage';
    stack = await TestStack.start({ shards: 2, env: { DATABASE_URL: url.toString() } });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await mariaDb?.stop();
  });

  it('stops MariaDB in the middle of a replay, starts it again and ends with MySQL equal to Redis', async () => {
    const events = tradingStream('OUT', EVENTS);
    const thirds = [events.slice(0, 500), events.slice(500, 1_000), events.slice(1_000)];
    const { dataSource } = stack.infrastructure;
    const storedEvents = async () =>
      Number((await dataSource.query<{ count: string }[]>('SELECT COUNT(*) AS count FROM inventory_events'))[0].count);

    await stack.publish(...thirds[0]);
    await eventually(async () => ((await storedEvents()) > 0 ? true : undefined), 20_000, 'the first batches in MySQL');

    await mariaDb.stopServer!();
    const downAt = Date.now();
    await stack.publish(...thirds[1]);
    // The live path does not wait for MySQL: every event of the second third reaches Redis.
    const lastSku = (thirds[1].at(-1) as { lines?: { sku: string }[]; sku?: string }).lines?.[0].sku ?? 'OUT-0';
    const liveDuringOutage = await eventually(
      async () => {
        const kpis = (await stack.get('/api/v1/kpis/live?window=24h')).body as { watermark: string | null };
        return kpis.watermark &&
          Date.parse(kpis.watermark) >= Date.parse((thirds[1].at(-1) as { occurred_at: string }).occurred_at)
          ? kpis
          : undefined;
      },
      20_000,
      'the live watermark to reach the second third',
    );
    expect(liveDuringOutage.watermark).not.toBeNull();
    expect((await stack.get(`/api/v1/stock/${lastSku}`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - downAt))));
    await mariaDb.startServer!();

    await stack.publish(...thirds[2]);
    const report = await reconcile(stack.config, 100);
    expect(report.drift).toEqual([]);
    // Nothing was skipped: stock and both windows were compared.
    expect(report.notes).toEqual([]);
    expect(report.windows).toEqual(['1h', '24h']);
    expect(report.skus).toBe(20);
    expect(await storedEvents()).toBe(EVENTS);
    const [rollups] = await dataSource.query<{ events: string; line_events: string }[]>(
      `SELECT (SELECT SUM(events) FROM kpi_minute) AS events, (SELECT COUNT(DISTINCT event_id) FROM inventory_event_lines) AS line_events`,
    );
    expect(Number(rollups.events)).toBe(EVENTS);
    expect(Number(rollups.line_events)).toBe(EVENTS);
  }, 200_000);
});

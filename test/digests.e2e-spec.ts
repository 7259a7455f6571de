import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { formatCents, type WireEvent } from '@stockwall/contracts';
import { DigestLedger, periodBefore, periodOfDate } from '@stockwall/digests';
import { runDigest } from '../apps/cli/src/commands/digest.command';
import { IngestMetrics } from '@stockwall/ingest';
import { DIGESTS_QUEUE, DigestsService } from '../apps/worker/src/digests/digests.service';
import { ANALYTICS_CUSTOMERS, analyticsWeek } from './support/analytics-events';
import { type Mail, parseCsv, parseMail } from './support/mail-message';
import { startSmtpReceiver, type SmtpReceiver } from './support/smtp-receiver';
import { eventually, TestStack } from './support/test-stack';

const ZONE = 'Europe/London';
const rate = (numerator: number, denominator: number) => Math.round((numerator / denominator) * 1e6) / 1e6;

/** A figure line of the text alternative: `Revenue: 13.00 (previous 50.00, ▼ −74.0%)`. */
function figure(mail: Mail, label: string): { current: string; previous: string; change: string } {
  const match = new RegExp(`^${label}: (\\S+) \\(previous (\\S+), (.+)\\)$`, 'm').exec(mail.text);
  if (!match) throw new Error(`no ${label} line in:\n${mail.text}`);
  return { current: match[1], previous: match[2], change: match[3] };
}

/** A reorder point and a sale later in the week of 1 July (London), so the weekly digest differs from the daily one. */
function laterInTheWeek(prefix: string): WireEvent[] {
  const york = { source: 'york', location: 'york' };
  return [
    {
      event_type: 'reorder_point_set',
      event_id: `${prefix}-reorder-b`,
      occurred_at: '2024-07-03T09:00:00Z',
      ...york,
      sku: `${prefix}-B`,
      reorder_point: 5,
    },
    {
      event_type: 'order_placed',
      event_id: `${prefix}-o4-placed`,
      occurred_at: '2024-07-05T15:00:00Z',
      ...york,
      order_id: `${prefix}-o4`,
      customer_id: 'cust-raw-third-9d1e',
      lines: [{ sku: `${prefix}-B`, quantity: 2, unit_price: 3.5 }],
    },
    {
      event_type: 'order_fulfilled',
      event_id: `${prefix}-o4-shipped`,
      occurred_at: '2024-07-05T15:00:00Z',
      ...york,
      order_id: `${prefix}-o4`,
      lines: [{ sku: `${prefix}-B`, quantity: 2 }],
    },
  ];
}

describe('Digests: daily and weekly e-mails, exactly once per period with two workers', () => {
  let stack: TestStack;
  const workers: INestApplicationContext[] = [];
  let smtp: SmtpReceiver;
  const mails: Mail[] = [];
  let refusedWeekly = 0;

  beforeAll(async () => {
    smtp = await startSmtpReceiver((raw) => {
      const mail = parseMail(raw);
      // The server refuses the first weekly digest of 2024-W27: its job must retry and send it once.
      if (mail.headers['x-stockwall-digest'] === `weekly 2024-W27 ${ZONE}` && refusedWeekly === 0) {
        refusedWeekly++;
        return Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 });
      }
      mails.push(mail);
    });
    stack = await TestStack.start({
      shards: 1,
      workers: 0,
      env: {
        SMTP_URL: smtp.url,
        DIGEST_EMAIL_TO: 'managers@example.com',
        ALERT_EMAIL_FROM: 'stockwall@example.com',
        DIGEST_TIME_ZONE: ZONE,
        // Both schedules fire every 2 s here: each run is for the same previous day and week.
        DIGEST_DAILY_CRON: '*/2 * * * * *',
        DIGEST_WEEKLY_CRON: '*/2 * * * * *',
        CUSTOMER_HASH_SALT: 'digests-test-salt-000000001',
      },
    });
    workers.push(await stack.startWorker(), await stack.startWorker());
    await stack.publish(...analyticsWeek('D'), ...laterInTheWeek('D'));
    const { dataSource } = stack.infrastructure;
    await eventually(
      async () => {
        const [[events], [alerts]] = await Promise.all([
          dataSource.query('SELECT COUNT(*) AS n FROM inventory_events'),
          dataSource.query('SELECT COUNT(*) AS n FROM alerts'),
        ]);
        if (Number(events.n) === 13 && Number(alerts.n) === 2) return true;
        throw new Error(`${events.n} events, ${alerts.n} alerts`);
      },
      30_000,
      '13 stored events and 2 stored alerts',
    );
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  const digestsOf = (header: string) => mails.filter((mail) => mail.headers['x-stockwall-digest'] === header);

  it('schedules each digest once for both workers and sends the previous day and week once, however often the schedule fires', async () => {
    const queue = new Queue(DIGESTS_QUEUE, {
      connection: stack.infrastructure.redis.duplicate(),
      prefix: stack.config.queue.prefix,
    });
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((scheduler) => [scheduler.key, scheduler.pattern, scheduler.tz]).sort()).toEqual([
        ['digest-daily', '*/2 * * * * *', ZONE],
        ['digest-weekly', '*/2 * * * * *', ZONE],
      ]);
    } finally {
      await queue.close();
      await queue.disconnect();
    }
    const day = periodBefore('daily', Date.now(), ZONE);
    const week = periodBefore('weekly', Date.now(), ZONE);
    await eventually(
      async () =>
        digestsOf(`daily ${day.label} ${ZONE}`).length > 0 && digestsOf(`weekly ${week.label} ${ZONE}`).length > 0
          ? true
          : undefined,
      20_000,
      'the scheduled digests',
    );
    // Three more firings of each schedule, on either worker.
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    expect(digestsOf(`daily ${day.label} ${ZONE}`)).toHaveLength(1);
    expect(digestsOf(`weekly ${week.label} ${ZONE}`)).toHaveLength(1);
    const [daily] = digestsOf(`daily ${day.label} ${ZONE}`);
    expect(daily.headers.subject).toBe(`[Stockwall] Daily digest ${day.label}`);
    expect(daily.headers.to).toBe('managers@example.com');
    expect(daily.headers['message-id']).toBe(`<digest-daily-${day.label}-Europe-London@stockwall>`);
    // Nothing happened on those days: every figure reads 0 and the alerts file is its header.
    expect(figure(daily, 'Orders')).toEqual({ current: '0', previous: '0', change: '= 0%' });
    expect(daily.attachments[0].content.split('\r\n')).toEqual([
      'occurredAt,kind,sku,location,available,reorderPoint,status,acknowledgedAt,alertId',
      '',
    ]);
  }, 60_000);

  it('sends a requested period once when both workers queue it twice, with the figures SQL computes from the stored rows', async () => {
    // The London day of 2 July 2024 and its ISO week (1–7 July), each queued twice by each worker.
    const day = periodOfDate('daily', '2024-07-02', ZONE);
    const week = periodOfDate('weekly', '2024-07-02', ZONE);
    expect(new Date(day.start).toISOString()).toBe('2024-07-01T23:00:00.000Z');
    for (const worker of workers) {
      const digests = worker.get(DigestsService);
      await Promise.all([
        digests.request('daily', day.start),
        digests.request('daily', day.start),
        digests.request('weekly', week.start),
        digests.request('weekly', week.start),
      ]);
    }
    await eventually(
      async () =>
        digestsOf(`daily 2024-07-02 ${ZONE}`).length > 0 && digestsOf(`weekly 2024-W27 ${ZONE}`).length > 0
          ? true
          : undefined,
      30_000,
      'the requested digests',
    );
    // Long enough for the other three runs of each (retrying while the first held the claim) to finish.
    await eventually(
      async () => {
        const queue = new Queue(DIGESTS_QUEUE, {
          connection: stack.infrastructure.redis.duplicate(),
          prefix: stack.config.queue.prefix,
        });
        try {
          const counts = await queue.getJobCounts('active', 'wait', 'delayed', 'failed');
          // The schedulers keep one delayed job each.
          return counts.active === 0 && counts.wait === 0 && counts.failed === 0 && counts.delayed <= 2
            ? true
            : undefined;
        } finally {
          await queue.close();
          await queue.disconnect();
        }
      },
      30_000,
      'the requested runs to finish',
    );
    expect(digestsOf(`daily 2024-07-02 ${ZONE}`)).toHaveLength(1);
    expect(digestsOf(`weekly 2024-W27 ${ZONE}`)).toHaveLength(1);
    // The weekly digest was refused once by the SMTP server and sent by a retry.
    expect(refusedWeekly).toBe(1);
    let sent = 0;
    for (const worker of workers) {
      const metric = worker.get(IngestMetrics).registry.getSingleMetric('stockwall_digests_sent_total');
      sent += ((await metric?.get())?.values ?? []).reduce((sum, value) => sum + value.value, 0);
    }
    expect(sent).toBe(mails.length);

    const { redis } = stack.infrastructure;
    const record = await redis.get(`${stack.config.redis.prefix}digest:daily:2024-07-01T23:00:00.000Z`);
    expect(record).toMatch(/^sent:\{"kind":"daily","label":"2024-07-02"/);

    const sql = stack.infrastructure.dataSource;
    const expected = async (from: number, to: number) => {
      const [sales] = await sql.query(
        `SELECT COALESCE(SUM(orders), 0) AS orders, COALESCE(SUM(units), 0) AS units,
           COALESCE(SUM(revenue_cents), 0) AS revenue, COALESCE(SUM(cogs_cents), 0) AS cogs
         FROM inventory_event_lines WHERE occurred_at >= ? AND occurred_at < ?`,
        [new Date(from), new Date(to)],
      );
      const [customers] = await sql.query(
        `SELECT COUNT(DISTINCT CASE WHEN first.first_at >= ? THEN e.customer_hash END) AS new_customers,
           COUNT(DISTINCT CASE WHEN first.first_at < ? THEN e.customer_hash END) AS returning_customers
         FROM inventory_events e
         JOIN (SELECT customer_hash, MIN(occurred_at) AS first_at FROM inventory_events
               WHERE event_type = 'order_placed' AND customer_hash IS NOT NULL GROUP BY customer_hash) first
           ON first.customer_hash = e.customer_hash
         WHERE e.event_type = 'order_placed' AND e.occurred_at >= ? AND e.occurred_at < ?`,
        [new Date(from), new Date(from), new Date(from), new Date(to)],
      );
      const [orders, revenue, cogs] = [Number(sales.orders), Number(sales.revenue), Number(sales.cogs)];
      return {
        Orders: String(orders),
        Revenue: formatCents(revenue),
        'Units sold': String(Number(sales.units)),
        'Average order value': orders > 0 ? formatCents(Math.round(revenue / orders)) : '–',
        'Gross margin': formatCents(revenue - cogs),
        'Gross margin rate': revenue > 0 ? `${(rate(revenue - cogs, revenue) * 100).toFixed(1)}%` : '–',
        'New customers': String(Number(customers.new_customers)),
        'Returning customers': String(Number(customers.returning_customers)),
      };
    };
    for (const [period, header] of [
      [day, `daily 2024-07-02 ${ZONE}`],
      [week, `weekly 2024-W27 ${ZONE}`],
    ] as const) {
      const [mail] = digestsOf(header);
      const current = await expected(period.start, period.end);
      const previous = await expected(period.previous.start, period.previous.end);
      for (const label of Object.keys(current) as (keyof typeof current)[]) {
        expect([label, figure(mail, label).current, figure(mail, label).previous]).toEqual([
          label,
          current[label],
          previous[label],
        ]);
      }
      // Stock over time: the same figures as the history API for that bucket (checked against SQL in its own tests).
      const interval = period.kind === 'daily' ? '1d' : '1w';
      const api = await stack.get(
        `/api/v1/kpis/history?from=${new Date(period.start).toISOString()}&to=${new Date(period.end).toISOString()}&interval=${interval}&tz=${ZONE}`,
      );
      const [bucket] = api.body.items;
      expect(figure(mail, 'Stockout rate').current).toBe(
        bucket.stockoutRate === null ? '–' : `${(bucket.stockoutRate * 100).toFixed(1)}%`,
      );
      expect(figure(mail, 'Inventory turnover').current).toBe(
        bucket.inventoryTurnover === null ? '–' : bucket.inventoryTurnover.toFixed(2),
      );

      // The alerts of the period, as stored.
      const alerts = await sql.query(
        `SELECT alert_id, kind, sku, location, available FROM alerts
         WHERE occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at, id`,
        [new Date(period.start), new Date(period.end)],
      );
      const alertsCsv = mail.attachments.find((attachment) => attachment.filename.startsWith('alerts-'))!;
      expect(alertsCsv.filename).toBe(`alerts-${period.kind}-${period.label}.csv`);
      expect(
        parseCsv(alertsCsv.content).map((row) => [row.alertId, row.kind, row.sku, row.location, row.available]),
      ).toEqual(alerts.map((row: any) => [row.alert_id, row.kind, row.sku, row.location, String(row.available)]));
      expect(mail.text).toContain(`${alerts.length} alert${alerts.length === 1 ? '' : 's'} raised`);

      // The replenishment list: what the report route answers now.
      const replenishment = await stack.get('/api/v1/reports/replenishment');
      const listCsv = mail.attachments.find((attachment) => attachment.filename.startsWith('replenishment-'))!;
      expect(
        parseCsv(listCsv.content).map((row) => [row.supplier, row.sku, row.location, row.suggestedQuantity]),
      ).toEqual(
        replenishment.body.items.map((item: any) => [
          item.supplier ?? '',
          item.sku,
          item.location,
          String(item.suggestedQuantity),
        ]),
      );
      expect(replenishment.body.items.map((item: any) => item.sku)).toEqual(['D-A', 'D-B']);
      expect(mail.html).toContain('<h2 style="font-size:16px;margin:16px 0 4px;">Key figures</h2>');
    }

    // London's day: the 23:30 UTC sale of 1 July is on 2 July there (2 orders, not the 1 of the UTC day).
    const [daily] = digestsOf(`daily 2024-07-02 ${ZONE}`);
    expect(daily.text).toContain(
      '2024-07-02 00:00 – 2024-07-03 00:00 Europe/London, compared with 2024-07-01 00:00 – 2024-07-02 00:00 Europe/London',
    );
    expect(figure(daily, 'Orders')).toEqual({ current: '2', previous: '1', change: '▲ +100.0%' });
    expect(figure(daily, 'Revenue')).toEqual({ current: '13.00', previous: '50.00', change: '▼ −74.0%' });
    expect(figure(daily, 'New customers').current).toBe('1');
    expect(figure(daily, 'Returning customers').current).toBe('1');
    const [weekly] = digestsOf(`weekly 2024-W27 ${ZONE}`);
    expect(figure(weekly, 'Orders')).toEqual({ current: '4', previous: '0', change: '▲ new' });
    expect(figure(weekly, 'Revenue').current).toBe('70.00');
    // Kept to look at: dist/test-artifacts/digests/.
    const artifacts = join(__dirname, '..', 'dist', 'test-artifacts', 'digests');
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, 'daily-2024-07-02.html'), daily.html);
    writeFileSync(join(artifacts, 'weekly-2024-W27.html'), weekly.html);
    // Raw customer ids never reach a digest.
    for (const mail of mails) for (const id of ANALYTICS_CUSTOMERS) expect(mail.text + mail.html).not.toContain(id);
  }, 90_000);

  it('previews a period from the command line (--dry-run) and does not send a period already sent', async () => {
    const out = mkdtempSync(join(tmpdir(), 'stockwall-digest-'));
    const [htmlPath] = await runDigest(stack.config, {
      kind: 'daily',
      date: '2024-07-02',
      tz: ZONE,
      dryRun: true,
      out,
    });
    expect(htmlPath).toBe(join(out, 'daily-2024-07-02.html'));
    const [daily] = digestsOf(`daily 2024-07-02 ${ZONE}`);
    // Rendered again from the same rows: the same e-mail.
    expect(readFileSync(htmlPath, 'utf8')).toBe(daily.html);
    expect(readFileSync(join(out, 'daily-2024-07-02.txt'), 'utf8')).toBe(daily.text);
    expect(readFileSync(join(out, 'alerts-daily-2024-07-02.csv'), 'utf8')).toBe(daily.attachments[0].content);
    const before = mails.length;
    const [line] = await runDigest(stack.config, { kind: 'daily', date: '2024-07-02', tz: ZONE });
    expect(line).toMatch(/^digest: the daily digest 2024-07-02 was already sent at \S+ by w\d-/);
    expect(mails).toHaveLength(before);
  });

  it("lets one claim of a period send, frees it on failure, and frees a dead sender's claim when it expires", async () => {
    const ledger = new DigestLedger(stack.infrastructure.redis, `${stack.config.redis.prefix}ledger-test:`, 300);
    const start = Date.parse('2030-01-01T00:00:00Z');
    expect(await ledger.claim('daily', start, 'a')).toEqual({ state: 'claimed' });
    expect(await ledger.claim('daily', start, 'b')).toEqual({ state: 'busy', holder: 'a' });
    // Only the holder releases or records its claim.
    await ledger.release('daily', start, 'b');
    expect(await ledger.claim('daily', start, 'b')).toEqual({ state: 'busy', holder: 'a' });
    // A failed send gives the period back at once.
    await ledger.release('daily', start, 'a');
    expect(await ledger.claim('daily', start, 'b')).toEqual({ state: 'claimed' });
    // A sender that died holding the claim: after claimMs another may send (the documented duplicate window).
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await ledger.claim('daily', start, 'c')).toEqual({ state: 'claimed' });
    const record = {
      kind: 'daily' as const,
      label: '2030-01-01',
      periodStart: '2030-01-01T00:00:00.000Z',
      sentAt: new Date().toISOString(),
      messageId: '<m@stockwall>',
      recipients: ['managers@example.com'],
      worker: 'c',
    };
    expect(await ledger.markSent(start, 'b', { ...record, worker: 'b' })).toBe(false);
    expect(await ledger.markSent(start, 'c', record)).toBe(true);
    expect(await ledger.claim('daily', start, 'd')).toEqual({ state: 'sent', record });
    expect(await ledger.sent('daily', start)).toEqual(record);
    // The sent record does not expire with the claim.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await ledger.sent('daily', start)).toEqual(record);
    expect(await stack.infrastructure.redis.ttl(ledger.key('daily', start))).toBeGreaterThan(399 * 86_400);
  });
});

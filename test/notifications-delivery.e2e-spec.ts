import { createHmac } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import type { WireEvent } from '@stockwall/contracts';
import { IngestMetrics } from '@stockwall/ingest';
import { aProductAdded, aQuantityChange } from './factories/wire-events';
import { startSmtpReceiver, type SmtpReceiver } from './support/smtp-receiver';
import { eventually, TestStack } from './support/test-stack';

const SECRET = 'webhook-secret-0123456789';
const timestamp = '2024-07-01T09:00:00Z';

interface Delivery {
  path: string;
  body: string;
  headers: http.IncomingHttpHeaders;
  status: number;
}

/** A notification counter summed over the workers' registries, by target kind. */
async function counted(workers: INestApplicationContext[], name: string, target: string): Promise<number> {
  let total = 0;
  for (const worker of workers) {
    const metric = worker.get(IngestMetrics).registry.getSingleMetric(name);
    const values = metric ? (await metric.get()).values : [];
    total += values.filter((value) => value.labels.target === target).reduce((sum, value) => sum + value.value, 0);
  }
  return total;
}

describe('Notifications: webhooks and e-mail, once per alert with two workers, kept when they run out of attempts', () => {
  let stack: TestStack;
  const workers: INestApplicationContext[] = [];
  let receiver: http.Server;
  let smtp: SmtpReceiver;
  const deliveries: Delivery[] = [];
  const mails: string[] = [];
  const failedOnce = new Set<string>();

  beforeAll(async () => {
    // /hooks/stock fails the first delivery of every alert: each is retried with backoff.
    // /hooks/down always fails: each of its notifications runs out of attempts.
    receiver = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const alertId = String(request.headers['x-stockwall-alert-id']);
        const path = request.url ?? '';
        const status = path === '/hooks/stock' && failedOnce.has(alertId) ? 200 : 503;
        if (path === '/hooks/stock') failedOnce.add(alertId);
        deliveries.push({ path, body: Buffer.concat(chunks).toString(), headers: request.headers, status });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    smtp = await startSmtpReceiver((raw) => {
      mails.push(raw);
    });
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    stack = await TestStack.start({
      shards: 1,
      workers: 0,
      env: {
        WEBHOOK_URLS: `${receiverUrl}/hooks/stock,${receiverUrl}/hooks/down`,
        WEBHOOK_SECRET: SECRET,
        SMTP_URL: smtp.url,
        ALERT_EMAIL_TO: 'ops@example.com',
        ALERT_EMAIL_FROM: 'stockwall@example.com',
        NOTIFY_ATTEMPTS: '3',
        NOTIFY_BACKOFF_MS: '100',
      },
    });
    workers.push(await stack.startWorker(), await stack.startWorker());
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
    await smtp?.close();
  });

  it('sends each low-stock, out-of-stock and back-in-stock alert once to the webhook (signed, retried) and by e-mail', async () => {
    // Alerts are judged on the state after each applied batch: each step waits for the one before.
    const step = async (event: WireEvent, available: number) => {
      await stack.publish(event);
      await eventually(
        async () => ((await stack.get('/api/v1/stock/NT-1')).body?.available === available ? true : undefined),
        15_000,
        `NT-1 at ${available}`,
      );
    };
    const change = (quantityDelta: number) => aQuantityChange({ sku: 'NT-1', delta: quantityDelta, at: timestamp });
    await step(aProductAdded({ sku: 'NT-1', name: 'Teapot', quantity: 10, at: timestamp, reorderPoint: 5 }), 10);
    await step(change(-6), 4);
    await step(change(-1), 3);
    await step(change(-3), 0);
    await step(change(20), 20);

    const expectedKinds = ['back_in_stock', 'low_stock', 'out_of_stock'];
    const stockHook = () => deliveries.filter((delivery) => delivery.path === '/hooks/stock');
    const downHook = () => deliveries.filter((delivery) => delivery.path === '/hooks/down');
    const delivered = await eventually(
      async () => {
        const ok = stockHook().filter((delivery) => delivery.status === 200);
        return ok.length >= 3 && mails.length >= 3 ? ok : undefined;
      },
      30_000,
      'three delivered webhooks and three e-mails',
    );
    // An alert handed on twice (a relay died between queueing and acknowledging) is the same job.
    const outbox = `${stack.config.redis.prefix}alerts`;
    const [[, fields]] = await stack.infrastructure.redis.xrange(outbox, '-', '+', 'COUNT', 1);
    await stack.infrastructure.redis.xadd(outbox, '*', ...fields);
    // Long enough for a duplicate from the second worker or the re-delivered entry to show.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const kinds = delivered.map((delivery) => (JSON.parse(delivery.body) as { alert: { kind: string } }).alert.kind);
    expect(kinds.sort()).toEqual(expectedKinds);
    expect(stockHook().filter((delivery) => delivery.status === 200)).toHaveLength(3);
    // Every alert was refused once, then retried.
    expect(stockHook().filter((delivery) => delivery.status === 503)).toHaveLength(3);
    for (const delivery of deliveries) {
      const signed = `${String(delivery.headers['x-stockwall-timestamp'])}.${delivery.body}`;
      expect(delivery.headers['x-stockwall-signature']).toBe(
        `sha256=${createHmac('sha256', SECRET).update(signed).digest('hex')}`,
      );
    }
    const alert = JSON.parse(delivered[0].body).alert;
    expect(alert).toMatchObject({ sku: 'NT-1', location: 'main', reorderPoint: 5 });

    expect(mails).toHaveLength(3);
    const subjects = mails.map((mail) => /^Subject: (.*)$/m.exec(mail)?.[1]).sort();
    expect(subjects).toEqual([
      '[Stockwall] Back in stock: NT-1 (main)',
      '[Stockwall] Low stock: NT-1 (main)',
      '[Stockwall] Out of stock: NT-1 (main)',
    ]);
    expect(mails[0]).toMatch(/^To: ops@example\.com$/m);

    // The always-failing hook: three attempts per alert, then the job is kept as failed, not dropped,
    // and it still stands for its alert (the re-delivered entry above added no fourth attempt).
    await eventually(
      async () =>
        (await counted(workers, 'stockwall_notifications_exhausted_total', 'webhook')) === 3 ? true : undefined,
      15_000,
      'three exhausted notifications',
    );
    expect(downHook()).toHaveLength(9);
    expect(new Set(downHook().map((delivery) => delivery.headers['x-stockwall-alert-id'])).size).toBe(3);
    const failedJobs = `${stack.config.queue.prefix}:notifications:failed`;
    expect(await stack.infrastructure.redis.zcard(failedJobs)).toBe(3);

    expect(await counted(workers, 'stockwall_notifications_sent_total', 'webhook')).toBe(3);
    expect(await counted(workers, 'stockwall_notifications_sent_total', 'email')).toBe(3);
    // 3 first refusals on /hooks/stock and 9 on /hooks/down.
    expect(await counted(workers, 'stockwall_notifications_failed_attempts_total', 'webhook')).toBe(12);
    expect(await counted(workers, 'stockwall_notifications_failed_attempts_total', 'email')).toBe(0);
    expect(await counted(workers, 'stockwall_notifications_exhausted_total', 'email')).toBe(0);
  });
});

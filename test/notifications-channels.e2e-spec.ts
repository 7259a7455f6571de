import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import type { WireEvent } from '@stockwall/contracts';
import { NOTIFICATIONS_QUEUE } from '../apps/worker/src/notifications/notification.job';
import { aProductAdded, aQuantityChange } from './factories/wire-events';
import { eventually, TestStack } from './support/test-stack';

const timestamp = '2024-07-01T09:00:00Z';
const clock = (time: number) => new Date(time).toISOString().slice(11, 16);

/**
 * Slack and Teams channels over real HTTP receivers with two workers: each alert reaches each
 * channel that routes it exactly once, in that channel's format; a channel in its quiet hours holds
 * its messages (delayed jobs) instead of sending them.
 */
describe('Notification channels: Slack and Teams formats, SMS through SNS, routing by location and severity, quiet hours', () => {
  let stack: TestStack;
  let receiver: http.Server;
  const received: { path: string; body: any; alertId: string }[] = [];
  const sms: { action: string; to: string; message: string }[] = [];

  beforeAll(async () => {
    receiver = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (request.url?.startsWith('/sns')) {
          // SNS's Publish: the AWS query protocol (form fields) or its JSON protocol, answered in kind.
          const json = String(request.headers['content-type']).includes('json');
          const fields: Record<string, string> = json
            ? JSON.parse(text)
            : Object.fromEntries(new URLSearchParams(text));
          const messageId = `m-${sms.length + 1}`;
          sms.push({
            action: fields.Action ?? String(request.headers['x-amz-target']),
            to: fields.PhoneNumber,
            message: fields.Message,
          });
          if (json)
            response
              .writeHead(200, { 'content-type': 'application/x-amz-json-1.0' })
              .end(JSON.stringify({ MessageId: messageId }));
          else
            response
              .writeHead(200, { 'content-type': 'text/xml' })
              .end(
                `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>r-${messageId}</RequestId></ResponseMetadata></PublishResponse>`,
              );
          return;
        }
        received.push({
          path: request.url ?? '',
          body: JSON.parse(text),
          alertId: String(request.headers['x-stockwall-alert-id']),
        });
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const now = Date.now();
    const channels = [
      { name: 'all', format: 'slack', url: `${url}/slack` },
      { name: 'north', format: 'teams', url: `${url}/teams-north`, locations: ['north'] },
      { name: 'critical', format: 'teams', url: `${url}/teams-critical`, severities: ['critical'] },
      {
        name: 'pager',
        format: 'sms',
        phoneNumbers: ['+447700900001', '+447700900002'],
        severities: ['critical'],
        region: 'eu-west-2',
        endpoint: `${url}/sns`,
      },
      {
        name: 'night',
        format: 'slack',
        url: `${url}/slack-quiet`,
        quietHours: { start: clock(now - 60_000), end: clock(now + 10 * 60_000), timeZone: 'UTC' },
      },
    ];
    // The SNS client signs its requests: any credentials do for the local endpoint.
    process.env.AWS_ACCESS_KEY_ID ??= 'test-access-key';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'test-secret-key';
    stack = await TestStack.start({
      shards: 1,
      workers: 2,
      env: { NOTIFY_CHANNELS: JSON.stringify(channels), NOTIFY_BACKOFF_MS: '100' },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('sends each routed alert once per channel, in its format, and holds the quiet channel', async () => {
    const step = async (sku: string, event: WireEvent, available: number) => {
      await stack.publish(event);
      await eventually(
        async () => ((await stack.get(`/api/v1/stock/${sku}`)).body?.available === available ? true : undefined),
        15_000,
        `${sku} at ${available}`,
      );
    };
    const change = (sku: string, location: string, quantityDelta: number) =>
      aQuantityChange({ location, sku, delta: quantityDelta, at: timestamp });
    const add = (sku: string, location: string) =>
      aProductAdded({ location, sku, name: 'Teapot', quantity: 10, at: timestamp, reorderPoint: 5 });
    await step('CH-A', add('CH-A', 'main'), 10);
    await step('CH-A', change('CH-A', 'main', -7), 3);
    await step('CH-A', change('CH-A', 'main', -3), 0);
    await step('CH-A', change('CH-A', 'main', 20), 20);
    await step('CH-B', add('CH-B', 'north'), 10);
    await step('CH-B', change('CH-B', 'north', -6), 4);

    const byPath = (path: string) => received.filter((message) => message.path === path);
    await eventually(
      async () =>
        byPath('/slack').length >= 4 && byPath('/teams-north').length >= 1 && byPath('/teams-critical').length >= 1
          ? true
          : undefined,
      30_000,
      'four Slack messages and the routed Teams cards',
    );
    // Time for a duplicate from the second worker to show up, were there one.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const slack = byPath('/slack');
    expect(slack).toHaveLength(4);
    expect(new Set(slack.map((message) => message.alertId)).size).toBe(4);
    expect(slack.map((message) => message.body.text).sort()).toEqual([
      '[critical] Out of stock: CH-A at main',
      '[info] Back in stock: CH-A at main',
      '[warning] Low stock: CH-A at main',
      '[warning] Low stock: CH-B at north',
    ]);
    expect(slack[0].body.blocks[0]).toMatchObject({ type: 'header' });
    expect(byPath('/teams-north').map((message) => [message.body['@type'], message.body.title])).toEqual([
      ['MessageCard', 'Low stock: CH-B at north'],
    ]);
    expect(byPath('/teams-critical').map((message) => [message.body.title, message.body.themeColor])).toEqual([
      ['Out of stock: CH-A at main', 'D55E00'],
    ]);
    expect(byPath('/slack-quiet')).toEqual([]);
    // The out-of-stock alert, once to each number of the SMS channel, through SNS's Publish.
    expect(sms.map((text) => [text.to, text.message]).sort()).toEqual([
      ['+447700900001', 'Stockwall critical: Out of stock CH-A at main, available 0'],
      ['+447700900002', 'Stockwall critical: Out of stock CH-A at main, available 0'],
    ]);
    expect(sms.every((text) => /Publish/.test(text.action))).toBe(true);
    const queue = new Queue(NOTIFICATIONS_QUEUE, {
      connection: stack.infrastructure.redis.duplicate(),
      prefix: stack.config.queue.prefix,
    });
    try {
      const delayed = await queue.getDelayed();
      expect(
        delayed.filter((job) => job.data.target.kind === 'chat' && job.data.target.channel.name === 'night'),
      ).toHaveLength(4);
      expect(Math.min(...delayed.map((job) => job.opts.delay ?? 0))).toBeGreaterThan(5 * 60_000);
    } finally {
      await queue.close();
    }
  });
});

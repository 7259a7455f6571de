/**
 * Live benchmark, on real Redis/MariaDB, an in-process Kinesis emulator, one in-process worker
 * and one real API process (apps/api/src/main.ts):
 *  (a) end-to-end latency at --rate events/s (default 2,000) for --seconds: event put on Kinesis
 *      → its effect received by a /live socket client (p50, p99). Baseline in the same run: the
 *      same events read from the Redis change stream directly (put → applied, no socket layer).
 *  (b) fan-out: --clients sockets (default 10,000) on the one API process, each receiving ~2
 *      deltas/s: p50/p99 delivery lag (client receipt − server send time, and − event put time)
 *      and the API process's memory per connection: RSS, and heap after a full GC (the API runs
 *      with --expose-gc and bench/live/memory-probe.ts), both against the same process before
 *      any client connected.
 * The producer puts small batches every --tick-ms (default 10), each event timed at its own put,
 * over --shards shards (default 4), so the measure is not the producer's own batching.
 * --api-root <dir> runs the API from another tree (e.g. an older version unpacked with git archive).
 * Usage: npm run bench:live [-- --rate 2000 --seconds 10 --clients 10000 --shards 4 --tick-ms 10]
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { io } from 'socket.io-client';
import { ensureMariaDb, ensureRedis } from '@stockwall/local-stack';
import type { StockDelta, WireEvent } from '@stockwall/contracts';
import { LiveStateRepository } from '@stockwall/aggregation';
import { envOf, freePort } from '../../test/support/live-cluster';
import { LiveClient, TestStack } from '../../test/support/test-stack';
import type { MemoryProbeReply } from './memory-probe';
import { argument, percentile, sleep } from './bench-arguments';
import { ProbedApiProcess } from './probed-api-process';
import { reportMeasure, reportSeries, thin } from '../suite/bench-results';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

const SKUS = 500;
const timestamp = '2024-08-01T00:00:00Z';

/** Tracks, per SKU, events put but not yet seen; an event counts as delivered once its SKU shows its value or a later one. */
class LatencyTracker {
  readonly samples: number[] = [];
  /** Each event's latency by the value that names it, to pair the same event across trackers. */
  readonly byValue = new Map<number, number>();
  private readonly pending = new Map<string, { value: number; sentAt: number }[]>();

  sent(sku: string, value: number, sentAt: number): void {
    const list = this.pending.get(sku) ?? [];
    list.push({ value, sentAt });
    this.pending.set(sku, list);
  }

  seen(sku: string, value: number, at: number): void {
    const list = this.pending.get(sku);
    if (!list) return;
    while (list.length > 0 && list[0].value <= value) {
      const { value: named, sentAt } = list.shift()!;
      this.samples.push(at - sentAt);
      this.byValue.set(named, at - sentAt);
    }
  }
}

async function main(): Promise<void> {
  const rate = argument('rate', 2_000);
  const seconds = argument('seconds', 10);
  const clients = argument('clients', 10_000);
  const shards = argument('shards', 4);
  const tickMs = argument('tick-ms', 10);
  const apiRootIndex = process.argv.indexOf('--api-root');
  const apiRoot = apiRootIndex > 0 ? process.argv[apiRootIndex + 1] : undefined;
  process.env.REDIS_URL = (await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')).url;
  process.env.DATABASE_URL = (
    await ensureMariaDb(process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/stockwall')
  ).url;
  const stack = await TestStack.start({
    shards,
    api: false,
    env: { GET_RECORDS_LIMIT: '5000', MAX_CONNECTIONS: '20000' },
  });
  const port = await freePort();
  const api = new ProbedApiProcess(
    port,
    envOf(stack.config, { MAX_CONNECTIONS: '20000', RATE_LIMIT_MAX: '1000000' }),
    apiRoot,
  );
  await api.ready();
  let counter = 0;
  const nextEvent = (): { event: WireEvent; sku: string; value: number } => {
    counter++;
    const sku = `B-${counter % SKUS}`;
    // The on-hand value names the event, so a received row says which events it reflects.
    return {
      sku,
      value: counter,
      event: {
        event_type: 'product_added',
        product: { product_id: sku, product_name: sku, quantity: counter, timestamp },
      },
    };
  };
  try {
    // (a) latency at `rate` events/s.
    const socketTracker = new LatencyTracker();
    const streamTracker = new LatencyTracker();
    const client: LiveClient = io(`${api.url}/live`, {
      auth: { token: stack.token('viewer') },
      transports: ['websocket'],
    });
    await new Promise((resolve) => client.once('connect', () => resolve(undefined)));
    await client.emitWithAck('subscribe', { channels: ['stock'] });
    client.on('stock.delta', (delta: StockDelta) => {
      const now = Date.now();
      for (const row of delta.rows) socketTracker.seen(row.sku, row.onHand, now);
    });
    const feedConnection = stack.infrastructure.redis.duplicate();
    const feed = new LiveStateRepository(feedConnection, stack.config.redis.prefix);
    let following = true;
    const follow = (async () => {
      let lastId = '$';
      while (following) {
        for (const notice of await feed.readChanges(lastId, 200)) {
          const now = Date.now();
          for (const row of notice.rows) streamTracker.seen(row.sku, row.onHand, now);
          lastId = notice.id;
        }
      }
    })();
    const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
    const started = Date.now();
    const loadBefore = loadavg()[0];
    const inFlight = new Set<Promise<void>>();
    for (let tick = 0; Date.now() - started < seconds * 1000; tick++) {
      // Events are created when their tick comes, so a late tick does not age them before the put.
      const batch = Array.from({ length: perTick }, nextEvent);
      const sentAt = Date.now();
      for (const item of batch) {
        socketTracker.sent(item.sku, item.value, sentAt);
        streamTracker.sent(item.sku, item.value, sentAt);
      }
      // Puts overlap (up to 8 at a time), so one slow put does not hold back the ticks after it.
      const put = stack.publish(...batch.map((item) => item.event)).finally(() => inFlight.delete(put));
      inFlight.add(put);
      if (inFlight.size >= 8) await Promise.race(inFlight);
      await sleep(Math.max(0, started + (tick + 1) * tickMs - Date.now()));
    }
    await Promise.all(inFlight);
    const achieved = (counter / ((Date.now() - started) / 1000)).toFixed(0);
    await sleep(3_000);
    following = false;
    await follow;
    feedConnection.disconnect();
    client.disconnect();
    const socketP50 = percentile(socketTracker.samples, 50);
    const socketP99 = percentile(socketTracker.samples, 99);
    const streamP50 = percentile(streamTracker.samples, 50);
    const streamP99 = percentile(streamTracker.samples, 99);
    console.log(
      `\n(a) end-to-end latency at ${rate} events/s for ${seconds} s (achieved ${achieved} events/s), ` +
        `${shards} shards, a put every ${tickMs} ms; load average ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}`,
    );
    console.log(
      `    put → /live client:       p50 ${socketP50} ms, p99 ${socketP99} ms (${socketTracker.samples.length} events)`,
    );
    console.log(`    put → Redis change stream: p50 ${streamP50} ms, p99 ${streamP99} ms (baseline)`);
    console.log(
      `    ratio live/baseline:       p50 ${(socketP50 / streamP50).toFixed(2)}x, p99 ${(socketP99 / streamP99).toFixed(2)}x`,
    );
    // Per event: what the live path adds after the event is in Redis (change feed, coalescing, socket).
    const beyondApply = [...socketTracker.byValue]
      .filter(([value]) => streamTracker.byValue.has(value))
      .map(([value, latency]) => latency - streamTracker.byValue.get(value)!);
    const beyondP99 = percentile(beyondApply, 99);
    console.log(
      `    put → client minus put → Redis, same event: p50 ${percentile(beyondApply, 50)} ms, p99 ${beyondP99} ms`,
    );
    reportMeasure({
      bench: 'live',
      name: `put → socket client at ${achieved} events/s, the part after the event is in Redis (p99, per event)`,
      value: beyondP99,
      unit: 'ms',
      target: { valueAtMost: 100, text: '≤ 100 ms' },
      note:
        `put → socket p50 ${socketP50} ms, p99 ${socketP99} ms; put → Redis change stream (includes the Kinesis poll ` +
        `wait) p50 ${streamP50} ms, p99 ${streamP99} ms; ${beyondApply.length} events paired.`,
    });
    reportMeasure({
      bench: 'live',
      name: `put → socket client at ${achieved} events/s (p99)`,
      value: socketP99,
      unit: 'ms',
      baseline: { name: 'put → Redis change stream, same events (p99)', value: streamP99 },
      ratio: socketP99 / streamP99,
    });
    for (const [name, values] of [
      ['put → socket client', socketTracker.samples],
      ['put → Redis change stream', streamTracker.samples],
      ['socket client − Redis, same event', beyondApply],
    ] as const) {
      reportSeries({
        bench: 'live',
        name: `${name} at ${achieved} events/s`,
        kind: 'latency',
        values: thin([...values]),
      });
    }

    // (b) fan-out.
    await sleep(1_000);
    const idle = await api.measure();
    const rssBefore = rssKb(api.pid);
    const sockets: LiveClient[] = [];
    const lagsFromServer: number[] = [];
    const lagsFromPut: number[] = [];
    const putAt = new Map<number, number>();
    let received = 0;
    let measuring = false;
    for (let index = 0; index < clients; index++) {
      const socket: LiveClient = io(`${api.url}/live`, {
        auth: { token: stack.token('viewer') },
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
      });
      socket.on('stock.delta', (delta: StockDelta) => {
        if (!measuring) return;
        const now = Date.now();
        received++;
        if (delta.serverTime) lagsFromServer.push(now - Date.parse(delta.serverTime));
        const value = delta.rows.reduce((highest, row) => Math.max(highest, row.onHand), 0);
        const sentAt = putAt.get(value);
        if (sentAt !== undefined) lagsFromPut.push(now - sentAt);
      });
      sockets.push(socket);
      if (index % 200 === 199) await sleep(50);
    }
    const connectDeadline = Date.now() + 120_000;
    while (sockets.some((socket) => !socket.connected) && Date.now() < connectDeadline) await sleep(200);
    const connected = sockets.filter((socket) => socket.connected);
    for (let start = 0; start < connected.length; start += 500) {
      await Promise.all(
        connected.slice(start, start + 500).map((socket) => socket.emitWithAck('subscribe', { channels: ['stock'] })),
      );
    }
    await sleep(2_000);
    const rssConnected = rssKb(api.pid);
    const connectedMemory = await api.measure();
    // ~2 deltas/s per client: one event every 500 ms, each flushed alone.
    measuring = true;
    const fanoutSeconds = Math.max(10, seconds);
    for (let tick = 0; tick < fanoutSeconds * 2; tick++) {
      const item = nextEvent();
      putAt.set(item.value, Date.now());
      await stack.publish(item.event);
      await sleep(500);
    }
    await sleep(2_000);
    measuring = false;
    const rssAfter = rssKb(api.pid);
    const afterMemory = await api.measure();
    const perClientRate = received / connected.length / fanoutSeconds;
    console.log(`\n(b) fan-out: ${connected.length} of ${clients} clients on one API process, ${fanoutSeconds} s`);
    console.log(`    deltas per client per second: ${perClientRate.toFixed(2)}`);
    console.log(
      `    lag server send → client:  p50 ${percentile(lagsFromServer, 50)} ms, p99 ${percentile(lagsFromServer, 99)} ms`,
    );
    console.log(
      `    lag event put → client:    p50 ${percentile(lagsFromPut, 50)} ms, p99 ${percentile(lagsFromPut, 99)} ms`,
    );
    console.log(
      `    API RSS: ${(rssBefore / 1024).toFixed(0)} MB idle, ${(rssConnected / 1024).toFixed(0)} MB connected, ` +
        `${(rssAfter / 1024).toFixed(0)} MB after traffic → ${((rssConnected - rssBefore) / connected.length).toFixed(1)} KB per connection ` +
        `(${((rssAfter - rssBefore) / connected.length).toFixed(1)} KB after traffic)`,
    );
    const perConnection = (from: MemoryProbeReply, to: MemoryProbeReply, key: keyof MemoryProbeReply) =>
      ((to[key] - from[key]) / 1024 / connected.length).toFixed(1);
    console.log(
      `    after GC, per connection:  RSS ${perConnection(idle, connectedMemory, 'rss')} KB, ` +
        `heap ${perConnection(idle, connectedMemory, 'heapUsed')} KB, ` +
        `external ${perConnection(idle, connectedMemory, 'external')} KB; after traffic: ` +
        `RSS ${perConnection(idle, afterMemory, 'rss')} KB, heap ${perConnection(idle, afterMemory, 'heapUsed')} KB ` +
        `(heap idle ${(idle.heapUsed / 1048576).toFixed(0)} MB)`,
    );
    for (const socket of sockets) socket.disconnect();
  } finally {
    await api.kill();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

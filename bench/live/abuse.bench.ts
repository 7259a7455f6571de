/**
 * Abuse benchmark, on real Redis/MariaDB, an in-process Kinesis emulator, one in-process worker
 * and one real API process (apps/api/src/main.ts), with --skus SKUs live (default 5,000):
 *  (a) the cost of one snapshot in Redis: the atomic script that read every SKU in one call
 *      (LiveStateRepository.readSnapshot) against the paged read /live uses (LiveSnapshotReader),
 *      its largest single call and its total.
 *  (b) --clients wall clients (default 20) subscribed to stock and a REST client reading
 *      GET /api/v1/stock/:sku back to back, while a producer puts --rate events/s (default 200):
 *      put → client p99 and REST p99, in --rounds (default 7) of two --phase-seconds phases
 *      (default 5): without, then with one abusive socket that sends `subscribe` for the whole stock every
 *      --abuse-ms (default 2 ms, 500/s), run in a process of its own (abusive-client.ts) and
 *      reconnecting whenever it is closed. Both measures come from the same run; in the median
 *      round the abusive phase's p99 must stay within 1.2x of the quiet phase's just before it
 *      (short alternating rounds, so the load of other work on the machine weighs on both alike).
 * Usage: npm run bench:abuse [-- --skus 5000 --clients 20 --rate 200 --phase-seconds 5 --rounds 7 --abuse-ms 2]
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { io } from 'socket.io-client';
import { LiveSnapshotReader, LiveStateRepository } from '@stockwall/aggregation';
import { RedisKeys, type StockDelta, type WireEvent } from '@stockwall/contracts';
import { ensureMariaDb, ensureRedis } from '@stockwall/local-stack';
import { envOf, freePort } from '../../test/support/live-cluster';
import { eventually, LiveClient, TestStack } from '../../test/support/test-stack';
import { argument, percentile, sleep } from './bench-arguments';
import { ProbedApiProcess } from './probed-api-process';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ROOT = path.resolve(__dirname, '..', '..');

const median = (values: number[]) => percentile(values, 50);
const timestamp = '2024-08-01T00:00:00Z';
/** LiveSnapshotReader's page. */
const PAGE_SIZE = 128;

interface PhaseSamples {
  client: number[];
  rest: number[];
}

async function main(): Promise<void> {
  const skus = argument('skus', 5_000);
  const clients = argument('clients', 20);
  const rate = argument('rate', 200);
  const phaseSeconds = argument('phase-seconds', 5);
  const rounds = argument('rounds', 7);
  const abuseMs = argument('abuse-ms', 2);
  process.env.REDIS_URL = (await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')).url;
  process.env.DATABASE_URL = (
    await ensureMariaDb(process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/stockwall')
  ).url;
  const stack = await TestStack.start({ shards: 2, api: false, env: { GET_RECORDS_LIMIT: '5000' } });
  const api = new ProbedApiProcess(await freePort(), envOf(stack.config, { RATE_LIMIT_MAX: '1000000' }));
  const sockets: LiveClient[] = [];
  try {
    await api.ready();
    const skuOf = (index: number) => `AB-${String(index).padStart(5, '0')}`;
    let counter = 0;
    const event = (index: number): WireEvent => {
      counter++;
      // The on-hand value names the event, so a received row says which event it reflects.
      return {
        event_type: 'product_added',
        product: { product_id: skuOf(index), product_name: 'Item', quantity: counter, timestamp },
      };
    };
    for (let start = 0; start < skus; start += 500) {
      await stack.publish(...Array.from({ length: Math.min(500, skus - start) }, (_, offset) => event(start + offset)));
    }
    const live = new LiveStateRepository(stack.infrastructure.redis, stack.config.redis.prefix);
    await eventually(
      async () => ((await live.readSnapshot()).rows.length === skus ? true : undefined),
      120_000,
      'the SKUs',
    );

    // (a) one snapshot in Redis.
    const reader = new LiveSnapshotReader(stack.infrastructure.redis, stack.config.redis.prefix);
    const atomic: number[] = [];
    const paged: number[] = [];
    const pages = Math.ceil(skus / PAGE_SIZE);
    for (let run = 0; run < 7; run++) {
      let started = performance.now();
      await live.readSnapshot();
      atomic.push(performance.now() - started);
      started = performance.now();
      await reader.read();
      paged.push(performance.now() - started);
    }
    // Each page call alone: the page script run page after page over the whole index, timed per call.
    const keys = new RedisKeys(stack.config.redis.prefix);
    const pageCommand = (
      stack.infrastructure.redis as unknown as {
        stockwallReadSnapshotPage: (...args: (string | number)[]) => Promise<[unknown, unknown, string | null, number]>;
      }
    ).stockwallReadSnapshotPage.bind(stack.infrastructure.redis);
    const pageCalls: number[] = [];
    for (let run = 0; run < 7; run++) {
      let after = '';
      for (;;) {
        const started = performance.now();
        const [, , last, scanned] = await pageCommand(
          3,
          keys.version(),
          keys.watermark(),
          keys.stockIndex(),
          keys.stockPrefix(),
          '',
          after,
          PAGE_SIZE,
        );
        pageCalls.push(performance.now() - started);
        if (last === null || scanned < PAGE_SIZE) break;
        after = last;
      }
    }
    console.log(`\n(a) one /live stock snapshot of ${skus} SKUs (median of 7; Redis round trips included)`);
    console.log(`    one atomic script over every SKU (before): ${median(atomic).toFixed(1)} ms in one call`);
    console.log(
      `    paged read (now): ${median(paged).toFixed(1)} ms in ${pages} calls + catch-up; ` +
        `one page call of ${PAGE_SIZE}: median ${median(pageCalls).toFixed(2)} ms, largest ${Math.max(...pageCalls).toFixed(2)} ms`,
    );

    // (b) wall clients, REST and an abusive socket.
    const putAt = new Map<number, number>();
    // Where samples go: the phase being measured (null between phases).
    const current: { phase: PhaseSamples | null } = { phase: null };
    for (let index = 0; index < clients; index++) {
      const socket: LiveClient = io(`${api.url}/live`, {
        auth: { token: stack.token('viewer') },
        transports: ['websocket'],
        forceNew: true,
      });
      await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
      const ack = await socket.emitWithAck('subscribe', { channels: ['stock'] });
      if (!ack.ok) throw new Error(ack.error.message);
      socket.on('stock.delta', (delta: StockDelta) => {
        const now = Date.now();
        for (const row of delta.rows) {
          const sentAt = putAt.get(row.onHand);
          if (sentAt !== undefined) current.phase?.client.push(now - sentAt);
        }
      });
      sockets.push(socket);
    }
    const token = stack.token('viewer');
    let running = true;
    const producer = (async () => {
      const tickMs = 50;
      const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
      while (running) {
        const batch = Array.from({ length: perTick }, () => event(Math.floor(Math.random() * skus)));
        const sentAt = Date.now();
        for (const item of batch) putAt.set((item as { product: { quantity: number } }).product.quantity, sentAt);
        await stack.publish(...batch);
        await sleep(tickMs);
      }
    })();
    const restClient = (async () => {
      while (running) {
        const started = performance.now();
        const response = await fetch(`${api.url}/api/v1/stock/${skuOf(Math.floor(Math.random() * skus))}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`REST answered ${response.status}`);
        current.phase?.rest.push(performance.now() - started);
        await sleep(20);
      }
    })();
    const quiet: PhaseSamples = { client: [], rest: [] };
    const abusive: PhaseSamples = { client: [], rest: [] };
    const byRound: { quiet: PhaseSamples; abusive: PhaseSamples }[] = [];
    const abuseAnswers: Record<string, number> = {};
    // Started (and compiled) once, before anything is measured; it abuses only while told to.
    const abuser = spawn(
      process.execPath,
      [
        '-r',
        path.join(ROOT, 'test/support/ts-register.js'),
        path.join(__dirname, 'abusive-client.ts'),
        api.url,
        stack.token('viewer'),
        String(abuseMs),
      ],
      { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const lines: string[] = [];
    const waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
    createInterface({ input: abuser.stdout }).on('line', (line) => {
      lines.push(line);
      const index = waiters.findIndex((waiter) => waiter.test(line));
      if (index >= 0) waiters.splice(index, 1)[0].resolve(line);
    });
    const nextLine = (test: (line: string) => boolean) =>
      new Promise<string>((resolve) => waiters.push({ test, resolve }));
    await nextLine((line) => line === 'ready');
    const loadBefore = loadavg()[0];
    await sleep(2_000); // warm-up
    for (let round = 0; round < rounds; round++) {
      const samples = {
        quiet: { client: [], rest: [] } as PhaseSamples,
        abusive: { client: [], rest: [] } as PhaseSamples,
      };
      byRound.push(samples);
      current.phase = samples.quiet;
      await sleep(phaseSeconds * 1000);
      current.phase = null;
      abuser.stdin.write('start\n');
      await nextLine((line) => line === 'connected');
      current.phase = samples.abusive;
      await sleep(phaseSeconds * 1000);
      current.phase = null;
      abuser.stdin.write('stop\n');
      const counts = JSON.parse(await nextLine((line) => line.startsWith('{'))) as Record<string, number>;
      for (const [key, value] of Object.entries(counts)) abuseAnswers[key] = (abuseAnswers[key] ?? 0) + value;
      for (const phase of ['quiet', 'abusive'] as const) {
        (phase === 'quiet' ? quiet : abusive).client.push(...samples[phase].client);
        (phase === 'quiet' ? quiet : abusive).rest.push(...samples[phase].rest);
      }
    }
    abuser.kill();
    current.phase = null;
    running = false;
    await Promise.all([producer, restClient]);
    const ratio = (left: number, right: number) => (left / right).toFixed(2);
    const clientQuiet = percentile(quiet.client, 99);
    const clientAbusive = percentile(abusive.client, 99);
    const restQuiet = percentile(quiet.rest, 99);
    const restAbusive = percentile(abusive.rest, 99);
    console.log(
      `\n(b) ${clients} wall clients and one REST client, ${rate} events/s, ${rounds} × (${phaseSeconds} s quiet + ` +
        `${phaseSeconds} s with one socket subscribing every ${abuseMs} ms); load average ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}`,
    );
    console.log(
      `    put → wall client p99: quiet ${clientQuiet} ms, abusive ${clientAbusive} ms, ratio ${ratio(clientAbusive, clientQuiet)}x ` +
        `(p50 ${percentile(quiet.client, 50)} / ${percentile(abusive.client, 50)} ms; ${quiet.client.length} / ${abusive.client.length} samples)`,
    );
    console.log(
      `    GET /stock/:sku p99:   quiet ${restQuiet.toFixed(1)} ms, abusive ${restAbusive.toFixed(1)} ms, ratio ${ratio(restAbusive, restQuiet)}x ` +
        `(p50 ${percentile(quiet.rest, 50).toFixed(1)} / ${percentile(abusive.rest, 50).toFixed(1)} ms; ${quiet.rest.length} / ${abusive.rest.length} requests)`,
    );
    // Each round's abusive p99 against the quiet p99 just before it: a load spike on the machine moves one round, not the median.
    const roundRatios = (key: keyof PhaseSamples) =>
      byRound.map((round) => percentile(round.abusive[key], 99) / percentile(round.quiet[key], 99));
    const clientRounds = roundRatios('client');
    const restRounds = roundRatios('rest');
    const list = (values: number[]) => values.map((value) => value.toFixed(2)).join(', ');
    console.log(
      `    per round, abusive / quiet p99: wall clients ${list(clientRounds)} (median ${median(clientRounds).toFixed(2)}x); ` +
        `REST ${list(restRounds)} (median ${median(restRounds).toFixed(2)}x)`,
    );
    console.log(`    the abusive socket was answered: ${JSON.stringify(abuseAnswers)}`);
    const within = median(clientRounds) <= 1.2 && median(restRounds) <= 1.2;
    console.log(
      `    limit: the median round's abusive p99 within 1.2x of its quiet p99, for both: ${within ? 'yes' : 'NO'}`,
    );
    process.exitCode = within ? 0 : 1;
  } finally {
    for (const socket of sockets) socket.disconnect();
    await api.kill();
    await stack.stop();
  }
}

main().then(
  () => process.exit(),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

/**
 * Aggregation benchmarks (not part of npm test):
 *   node -r ./test/support/ts-register.js bench/aggregation/aggregation.bench.ts [--events n] [--skus n]
 * 1. decode + validate + fold on one core, and fold alone;
 * 2. the batched atomic apply against one Redis round trip per event (same script, same data);
 * 3. Redis memory per SKU and per window bucket with 100,000 SKUs.
 * Needs Redis at REDIS_URL (default redis://127.0.0.1:6379); uses its own key prefix and removes it.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import { foldStock, LiveStateRepository } from '@stockwall/aggregation';
import type { InventoryEvent, WireEvent } from '@stockwall/contracts';
import { decodeEventRecord } from '@stockwall/ingest';

const { values } = parseArgs({ options: { events: { type: 'string' }, skus: { type: 'string' } } });
const EVENTS = Number(values.events ?? 200_000);
const MEMORY_SKUS = Number(values.skus ?? 100_000);
const BATCH = 500;

function wireEvents(count: number, skus: number): WireEvent[] {
  const events: WireEvent[] = [];
  const start = Date.parse('2024-03-01T09:00:00Z');
  for (let index = 0; index < count; index++) {
    const sku = `SKU-${index % skus}`;
    const occurred_at = new Date(start + index * 50).toISOString();
    const source = ['web', 'app', 'store'][index % 3];
    const lines = [{ sku, quantity: 1 + (index % 3), unit_price: '12.50' }];
    const kind = index % 4;
    events.push(
      kind === 0
        ? { event_type: 'order_placed', event_id: `e${index}`, occurred_at, source, order_id: `o${index}`, lines }
        : kind === 1
          ? {
              event_type: 'order_fulfilled',
              event_id: `e${index}`,
              occurred_at,
              source,
              order_id: `o${index - 1}`,
              lines,
            }
          : kind === 2
            ? {
                event_type: 'restock_received',
                event_id: `e${index}`,
                occurred_at,
                sku,
                quantity: 5,
                unit_cost: '7.25',
              }
            : {
                event_type: 'quantity_changed',
                event_id: `e${index}`,
                occurred_at,
                product: { product_id: sku, quantity_delta: -1, timestamp: occurred_at },
              },
    );
  }
  return events;
}

function rate(count: number, startedNs: bigint): number {
  return count / (Number(process.hrtime.bigint() - startedNs) / 1e9);
}

function decodeAll(buffers: Buffer[]): InventoryEvent[] {
  const events: InventoryEvent[] = [];
  buffers.forEach((data, index) => {
    const result = decodeEventRecord(
      data,
      { shardId: 's', position: { sequenceNumber: String(index + 1), subSequence: 0 }, arrivalTime: 0 },
      { maxEventBytes: 262_144 },
    );
    if (result.ok) events.push(result.event);
  });
  return events;
}

async function main(): Promise<void> {
  const wire = wireEvents(EVENTS, 5_000);
  const buffers = wire.map((event) => Buffer.from(JSON.stringify(event)));
  decodeAll(buffers.slice(0, 5_000)); // warm-up
  let started = process.hrtime.bigint();
  const decoded = decodeAll(buffers);
  const decodeRate = rate(buffers.length, started);
  started = process.hrtime.bigint();
  for (let start = 0; start < decoded.length; start += 1_000) foldStock(decoded.slice(start, start + 1_000));
  const foldRate = rate(decoded.length, started);
  started = process.hrtime.bigint();
  for (let start = 0; start < buffers.length; start += 1_000) foldStock(decodeAll(buffers.slice(start, start + 1_000)));
  const pipelineRate = rate(buffers.length, started);
  console.log(`decode+validate (zod):        ${decodeRate.toFixed(0)} events/s`);
  console.log(`fold alone:                   ${foldRate.toFixed(0)} events/s`);
  console.log(`decode+validate+fold:         ${pipelineRate.toFixed(0)} events/s`);

  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `bench:${randomBytes(4).toString('hex')}:`;
  try {
    const sample = decoded.slice(0, 20_000);
    const batched = await applyAll(redis, `${prefix}batched:`, sample, BATCH);
    const baselineSample = sample.slice(0, 4_000);
    const perEvent = await applyAll(redis, `${prefix}single:`, baselineSample, 1);
    console.log(`batched apply (${BATCH}/call):     ${batched.toFixed(0)} events/s`);
    console.log(`one round trip per event:     ${perEvent.toFixed(0)} events/s`);
    console.log(`ratio:                        ${(batched / perEvent).toFixed(1)}x`);

    const memoryPrefix = `${prefix}memory:`;
    const adds: InventoryEvent[] = [];
    for (let index = 0; index < MEMORY_SKUS; index++) {
      adds.push({
        type: 'product_added',
        eventId: `m${index}`,
        occurredAt: Date.parse('2024-03-01T09:00:00Z') + index,
        location: 'main',
        source: 'web',
        sku: `MEM-${String(index).padStart(6, '0')}`,
        name: `Product ${index}`,
        quantity: 50,
        unitPriceCents: 1999,
        unitCostCents: 1200,
        reorderPoint: 10,
      });
    }
    const before = await usedMemory(redis);
    await applyAll(redis, memoryPrefix, adds, 1_000);
    const after = await usedMemory(redis);
    const stockKeys = await redis.keys(`${memoryPrefix}stock:main:*`);
    const perSkuSamples = await Promise.all(stockKeys.slice(0, 200).map((key) => redis.memory('USAGE', key)));
    const bucketKeys = (await redis.zrange(`${memoryPrefix}kpi-index`, 0, -1)).slice(0, 50);
    const bucketSamples = await Promise.all(bucketKeys.map((key) => redis.memory('USAGE', key)));
    const average = (samples: (number | null)[]) =>
      samples.reduce<number>((sum, value) => sum + (value ?? 0), 0) / Math.max(samples.length, 1);
    console.log(`used_memory growth for ${MEMORY_SKUS} SKUs: ${((after - before) / 1024 / 1024).toFixed(1)} MiB`);
    console.log(
      `per SKU (used_memory delta / SKUs, incl. index): ${((after - before) / MEMORY_SKUS).toFixed(0)} bytes`,
    );
    console.log(`per SKU stock hash (MEMORY USAGE): ${average(perSkuSamples).toFixed(0)} bytes`);
    console.log(`per window bucket hash (MEMORY USAGE): ${average(bucketSamples).toFixed(0)} bytes`);
  } finally {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }
}

/** Applies events through the real atomic script in batches of `size`; returns events per second. */
async function applyAll(redis: Redis, prefix: string, events: InventoryEvent[], size: number): Promise<number> {
  const repository = new LiveStateRepository(redis, prefix);
  const keys = repository.redisKeys;
  await redis.hset(keys.lease('bench', 's'), 'owner', 'bench', 'epoch', '1');
  let after: string | null = null;
  const started = process.hrtime.bigint();
  for (let start = 0; start < events.length; start += size) {
    const batch = events.slice(start, start + size);
    const folded = foldStock(batch);
    const last = String(start + batch.length);
    const outcome = await repository.applyBatch({
      streamName: 'bench',
      shardId: 's',
      lease: { owner: 'bench', epoch: 1 },
      after: after === null ? null : { sequenceNumber: after, subSequence: 0 },
      last: { sequenceNumber: last, subSequence: 0 },
      shardEnd: false,
      changes: folded.changes,
      maxEventTime: folded.maxEventTime,
      sales: folded.sales,
      deadLetters: [],
    });
    if (outcome.status !== 'applied') throw new Error(`apply: ${outcome.status}`);
    after = last;
  }
  return rate(events.length, started);
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

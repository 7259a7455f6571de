import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import {
  ApplyBatchInput,
  ApplyReceiptRepository,
  foldStock,
  LiveStateRepository,
  StockChange,
} from '@stockwall/aggregation';
import { InventoryEvent, persistBatchJobId, RedisKeys, StreamPosition } from '@stockwall/contracts';
import { anOrderPlacedEvent, aProductAddedEvent, aQuantityChangedEvent } from './factories/inventory-events';

/**
 * The atomic apply on the real Redis: every answer but `applied` leaves every key exactly as it was
 * (compared with DUMP), and an applied batch writes everything with a new version. Redis does not
 * roll a script back, so this is what "all or nothing" has to mean.
 */
const STREAM = 'all-or-nothing';
const SHARD = 'shardId-000000000000';
const OWNER = 'worker-a';
const BASE = Date.parse('2024-05-01T10:00:00Z');
const position = (sequenceNumber: string): StreamPosition => ({ sequenceNumber, subSequence: 0 });

let counter = 0;
const meta = (minutes = 0) => ({
  eventId: `e-${++counter}`,
  occurredAt: BASE + minutes * 60_000,
  location: 'main',
  source: 'web',
});
const added = (sku: string, quantity: number, unitCostCents: number) =>
  aProductAddedEvent({ ...meta(), sku, name: sku, quantity, unitCostCents });
const changed = (sku: string, delta: number, minutes = 0) => aQuantityChangedEvent({ ...meta(minutes), sku, delta });
// The order id follows the event's: meta() counts before it is read.
const sold = (sku: string, quantity: number, minutes: number) =>
  anOrderPlacedEvent({ ...meta(minutes), orderId: `o-${counter}`, lines: [{ sku, quantity, unitPriceCents: 999 }] });

describe('LiveStateRepository.applyBatch, all or nothing', () => {
  let redis: Redis;
  let prefix: string;
  let sut: LiveStateRepository;
  let keys: RedisKeys;

  beforeAll(() => {
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  });

  beforeEach(async () => {
    prefix = `test:apply-${randomBytes(4).toString('hex')}:`;
    sut = new LiveStateRepository(redis, prefix);
    keys = new RedisKeys(prefix);
    await redis.hset(keys.lease(STREAM, SHARD), 'owner', OWNER, 'epoch', '1');
  });

  afterEach(async () => {
    const found = await redis.keys(`${prefix}*`);
    if (found.length > 0) await redis.del(...found);
  });

  afterAll(async () => {
    await redis.quit();
  });

  /**
   * Every key under the prefix with its content: sets, hashes and sorted sets by their members (a
   * read may move a large one's internal order, so their DUMP can differ with the same content).
   */
  async function snapshot(): Promise<Map<string, string>> {
    const found = (await redis.keys(`${prefix}*`)).sort();
    const typing = redis.pipeline();
    for (const key of found) typing.type(key);
    const types = ((await typing.exec()) ?? []).map(([, type]) => type as string);
    const pipeline = redis.pipeline();
    found.forEach((key, index) => {
      if (types[index] === 'set') pipeline.smembers(key);
      else if (types[index] === 'hash') pipeline.hgetall(key);
      else if (types[index] === 'zset') pipeline.zrange(key, 0, -1, 'WITHSCORES');
      else pipeline.dumpBuffer(key);
    });
    const values = (await pipeline.exec()) ?? [];
    return new Map(
      found.map((key, index) => {
        const value = values[index]?.[1];
        if (Buffer.isBuffer(value)) return [key, value.toString('base64')];
        if (Array.isArray(value) && types[index] === 'set') return [key, JSON.stringify([...value].sort())];
        if (value && !Array.isArray(value) && typeof value === 'object') {
          return [key, JSON.stringify(Object.entries(value).sort(([left], [right]) => left.localeCompare(right)))];
        }
        return [key, JSON.stringify(value)];
      }),
    );
  }

  function batch(after: StreamPosition | null, last: StreamPosition, events: InventoryEvent[]): ApplyBatchInput {
    const folded = foldStock(events);
    return {
      streamName: STREAM,
      shardId: SHARD,
      lease: { owner: OWNER, epoch: 1 },
      after,
      last,
      shardEnd: false,
      changes: folded.changes,
      maxEventTime: folded.maxEventTime,
      sales: folded.sales,
      deadLetters: [],
      receipt: new ApplyReceiptRepository(redis, prefix).target({ streamName: STREAM, shardId: SHARD, after, last }),
    };
  }

  async function expectUntouched(input: ApplyBatchInput, status: string): Promise<void> {
    const before = await snapshot();
    const outcome = await sut.applyBatch(input);
    expect(outcome.status).toBe(status);
    expect(await snapshot()).toEqual(before);
  }

  it('applies a batch whole: stock, checkpoint, totals, windows, a new version and the receipt', async () => {
    const outcome = await sut.applyBatch(batch(null, position('100'), [added('A', 10, 150), sold('A', 2, 1)]));
    expect(outcome).toEqual({ status: 'applied', version: 1 });
    expect(await redis.hmget(keys.stock('main', 'A'), 'on', 'cm', 'uc')).toEqual(['10', '2', '150']);
    expect(await redis.hget(keys.checkpoint(STREAM, SHARD), 'seq')).toBe('100');
    expect(await redis.hget(keys.stockTotals(), '*:units')).toBe('10');
    const lookup = await new ApplyReceiptRepository(redis, prefix).lookup({
      streamName: STREAM,
      shardId: SHARD,
      after: null,
      last: position('100'),
    });
    expect(lookup).toMatchObject({ status: 'applied', receipt: { version: 1, after: null, before: [{ sku: 'A' }] } });
    // The shard's apply chain finds the batch by where it starts.
    expect(await redis.hgetall(keys.applyChain(STREAM, SHARD))).toEqual({
      start: persistBatchJobId({ streamName: STREAM, shardId: SHARD, after: null, last: position('100') }),
    });
  });

  it('refuses a batch that would push a stock value past 2^53 − 1 cents, and writes nothing', async () => {
    await sut.applyBatch(batch(null, position('100'), [added('BIG', 10_000_000, 100_000_000)]));
    // 10,000,000 units at 1,000,000.00 each is 10^15 cents; eight more steps (9 × 10^15) still fit, nine do not.
    const events = Array.from({ length: 9 }, () => changed('BIG', 10_000_000));
    await expectUntouched(batch(position('100'), position('200'), [changed('OTHER', 5), ...events]), 'refused');
    const outcome = await sut.applyBatch(batch(position('100'), position('200'), events.slice(0, 8)));
    expect(outcome.status).toBe('applied');
  });

  it('refuses a batch whose totals would overflow although each SKU fits, and writes nothing', async () => {
    // Each SKU holds 6 × 10^15 cents; together they are past 2^53 − 1 (about 9.007 × 10^15).
    await sut.applyBatch(batch(null, position('100'), [added('HALF-1', 6_000_000, 1_000_000_000)]));
    const before = await snapshot();
    const outcome = await sut.applyBatch(
      batch(position('100'), position('200'), [added('HALF-2', 6_000_000, 1_000_000_000)]),
    );
    expect(outcome).toEqual({ status: 'refused', reason: expect.stringMatching(/stock total (main|\*):val/) });
    expect(await snapshot()).toEqual(before);
  });

  it('leaves everything as it was when fenced, out of order, a duplicate or a seen producer retry', async () => {
    await sut.applyBatch(batch(null, position('100'), [added('A', 10, 150)]));
    await expectUntouched(
      { ...batch(position('100'), position('200'), [changed('A', 1)]), lease: { owner: 'b', epoch: 1 } },
      'fenced',
    );
    await expectUntouched(batch(position('150'), position('200'), [changed('A', 1)]), 'out_of_order');
    await expectUntouched(batch(null, position('100'), [added('A', 10, 150)]), 'duplicate');
    const retry = changed('A', 1);
    const first = await sut.applyBatch({
      ...batch(position('100'), position('200'), [retry]),
      dedupe: { eventIds: [retry.eventId], windowMs: 600_000 },
    });
    expect(first.status).toBe('applied');
    await expectUntouched(
      { ...batch(position('200'), position('300'), [retry]), dedupe: { eventIds: [retry.eventId], windowMs: 600_000 } },
      'seen',
    );
  });

  it('answers `seen` with more ids than Lua can unpack, and applies a batch touching more buckets than that', async () => {
    // 9,000 events, each in its own minute: 18,000+ window buckets to index in one apply.
    const events = Array.from({ length: 9_000 }, (_, index) => sold(`S-${index % 40}`, 1, index));
    const first = await sut.applyBatch({
      ...batch(null, position('100'), events),
      dedupe: { eventIds: events.map((event) => event.eventId), windowMs: 600_000 },
    });
    expect(first.status).toBe('applied');
    expect(await redis.zcard(keys.kpiBucketIndex())).toBeGreaterThan(9_000);
    // The whole batch again under new positions (a re-sent aggregate): every id is named, nothing written.
    const before = await snapshot();
    const again = await sut.applyBatch({
      ...batch(position('100'), position('200'), events),
      dedupe: { eventIds: events.map((event) => event.eventId), windowMs: 600_000 },
    });
    expect(again.status).toBe('seen');
    expect(again.status === 'seen' && new Set(again.eventIds).size).toBe(9_000);
    expect(await snapshot()).toEqual(before);
  }, 120_000);

  it('writes nothing when the script fails while reading and computing', async () => {
    await sut.applyBatch(batch(null, position('100'), [added('A', 10, 150)]));
    const broken: StockChange = {
      sku: 'A',
      location: 'main',
      lastEventAt: BASE,
      ops: [{ kind: 'set', onHand: NaN }],
      demand: {},
    };
    const before = await snapshot();
    await expect(
      sut.applyBatch({ ...batch(position('100'), position('200'), [changed('A', 1)]), changes: [broken] }),
    ).rejects.toThrow();
    expect(await snapshot()).toEqual(before);
  });

  it('checks a batch in a dry run without writing anything', async () => {
    await sut.applyBatch(batch(null, position('100'), [added('BIG', 10_000_000, 100_000_000)]));
    const before = await snapshot();
    const tooMuch = Array.from({ length: 9 }, () => changed('BIG', 10_000_000));
    expect(await sut.checkBatch(batch(position('100'), position('200'), tooMuch))).toEqual({
      valid: false,
      reason: expect.stringMatching(/BIG/),
    });
    expect(await sut.checkBatch(batch(position('100'), position('200'), tooMuch.slice(0, 8)))).toEqual({ valid: true });
    expect(await snapshot()).toEqual(before);
  });
});

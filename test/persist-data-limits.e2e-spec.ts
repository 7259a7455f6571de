import type {
  DeadLetter,
  InventoryEvent,
  PersistBatchJob,
  PositionedEvent,
  StreamPosition,
} from '@stockwall/contracts';
import { closeWithConnection, enqueuePersistBatch, PersistQueue } from '../apps/worker/src/persist-queue';
import { LiveStateRepository } from '@stockwall/aggregation';
import { RedisKeys } from '@stockwall/contracts';
import { BatchApplierService } from '../apps/worker/src/batch-applier.service';
import { anOrderPlacedEvent, aProductAddedEvent, aQuantityChangedEvent } from './factories/inventory-events';
import { applyLive, applyThroughWorker, openPersistQueue } from './support/persist-jobs';
import { eventually, TestStack } from './support/test-stack';

const STREAM = 'limits-stream';
const OCCURRED_AT = Date.parse('2024-03-01T09:00:00Z');
const at = (sequenceNumber: string): StreamPosition => ({ sequenceNumber, subSequence: 0 });
// Each case's events carry their own source (the id's prefix), so their rollup rows are apart.
const meta = (eventId: string) => ({
  eventId,
  occurredAt: OCCURRED_AT,
  location: 'main',
  source: eventId.split('-')[0],
});

const added = (sku: string, quantity: number, eventId: string) =>
  aProductAddedEvent({ ...meta(eventId), sku, name: sku, quantity, unitPriceCents: 1 });
const changed = (sku: string, delta: number, eventId: string) =>
  aQuantityChangedEvent({ ...meta(eventId), sku, delta });
/** The wire limits per field at their maximum: 500 lines of 10,000,000 units of one SKU. */
const hugeOrder = (sku: string, unitPriceCents: number, eventId: string) =>
  anOrderPlacedEvent({
    ...meta(eventId),
    orderId: eventId,
    lines: Array.from({ length: 500 }, () => ({ sku, quantity: 10_000_000, unitPriceCents })),
  });

function job(
  shardId: string,
  after: StreamPosition | null,
  events: [string, InventoryEvent][],
  deadLetters: DeadLetter[] = [],
): PersistBatchJob {
  const positioned: PositionedEvent[] = events.map(([sequenceNumber, event]) => ({
    position: at(sequenceNumber),
    event,
  }));
  const positions = [...positioned.map((item) => item.position), ...deadLetters.map((letter) => letter.position)];
  const last = positions.reduce((latest, position) =>
    BigInt(position.sequenceNumber) > BigInt(latest.sequenceNumber) ? position : latest,
  );
  return { streamName: STREAM, shardId, after, last, events: positioned, deadLetters };
}

describe('persist-batch jobs with values beyond the MySQL columns', () => {
  let stack: TestStack;
  let queue: PersistQueue;

  beforeAll(async () => {
    stack = await TestStack.start({ api: false });
    queue = openPersistQueue(stack.config);
  });

  afterAll(async () => {
    if (queue) await closeWithConnection(queue);
    await stack?.stop();
  });

  const query = <T>(sql: string, parameters: unknown[] = []) =>
    stack.infrastructure.dataSource.query<T>(sql, parameters);
  const persistedUpTo = async (shardId: string) =>
    (
      await query<{ sequence_number: string | null }[]>(
        'SELECT sequence_number FROM shard_positions WHERE stream_name = ? AND shard_id = ?',
        [STREAM, shardId],
      )
    )[0]?.sequence_number ?? null;

  it('stores an order that commits more units than an INT holds, and the shard moves on', async () => {
    const shardId = 'shardId-000000000001';
    const first = job(shardId, null, [
      ['100', added('WIDE-1', 10, 'wide-add')],
      ['101', hugeOrder('WIDE-1', 1, 'wide-order')],
    ]);
    const second = job(shardId, first.last, [['200', changed('WIDE-1', 1, 'wide-more')]]);
    await applyLive(stack.infrastructure.redis, stack.config.redis.prefix, first, second);
    await enqueuePersistBatch(queue, first);
    await enqueuePersistBatch(queue, second);

    await eventually(async () => ((await persistedUpTo(shardId)) === '200' ? true : undefined), 15_000, 'both batches');
    const [stock] = await query<{ on_hand: string; committed: string }[]>(
      "SELECT on_hand, committed FROM stock_levels WHERE sku = 'WIDE-1'",
    );
    expect({ onHand: String(stock.on_hand), committed: String(stock.committed) }).toEqual({
      onHand: '11',
      committed: '5000000000',
    });
    const [line] = await query<{ units: string; committed_after: string }[]>(
      "SELECT units, committed_after FROM inventory_event_lines WHERE event_id = 'wide-order'",
    );
    expect([String(line.units), String(line.committed_after)]).toEqual(['5000000000', '5000000000']);
    const [minute] = await query<{ units: string; revenue_cents: string }[]>(
      "SELECT units, revenue_cents FROM kpi_minute WHERE source = 'wide' AND minute_at = '2024-03-01 09:00:00'",
    );
    expect([String(minute.units), String(minute.revenue_cents)]).toEqual(['5000000000', '5000000000']);
  });

  it('dead-letters an event the live apply refuses (revenue beyond 2^53 cents) in both stores, persists the rest of its batch once, and the shard moves on', async () => {
    const shardId = 'shardId-000000000002';
    const ingestLetter: DeadLetter = {
      streamName: STREAM,
      shardId,
      position: at('303'),
      reason: 'not_json',
      detail: 'Unexpected token',
      rawBase64: Buffer.from('{oops').toString('base64'),
      rawBytes: 5,
      receivedAt: Date.now(),
    };
    // 5,000,000,000 units at 10,000,000,000 cents: 5e19 cents of revenue, beyond BIGINT (9.2e18).
    const first = job(
      shardId,
      null,
      [
        ['300', added('REJ-1', 5, 'rej-add')],
        ['301', hugeOrder('REJ-1', 10_000_000_000, 'rej-order')],
        ['302', changed('REJ-1', 2, 'rej-more')],
      ],
      [ingestLetter],
    );
    const second = job(shardId, first.last, [['400', changed('REJ-1', 3, 'rej-after')]]);
    // Through a worker's own batch handler: it enqueues each job, and the apply refuses the order.
    const worker = await stack.startWorker(['ingest']);
    const handler = worker.get(BatchApplierService);
    const { redis } = stack.infrastructure;
    expect(await applyThroughWorker(handler, redis, stack.config.redis.prefix, first)).toBe('applied');
    expect(await applyThroughWorker(handler, redis, stack.config.redis.prefix, second)).toBe('applied');
    const live = await new LiveStateRepository(redis, stack.config.redis.prefix).findStock('REJ-1');
    expect(live.map((row) => [row.onHand, row.committed])).toEqual([[10, 0]]);

    await eventually(async () => ((await persistedUpTo(shardId)) === '400' ? true : undefined), 15_000, 'both batches');
    const events = await query<{ event_id: string }[]>(
      "SELECT event_id FROM inventory_events WHERE event_id LIKE 'rej-%' ORDER BY sequence_number",
    );
    expect(events.map((row) => row.event_id)).toEqual(['rej-add', 'rej-more', 'rej-after']);
    const [stock] = await query<{ on_hand: string; committed: string }[]>(
      "SELECT on_hand, committed FROM stock_levels WHERE sku = 'REJ-1'",
    );
    expect([Number(stock.on_hand), Number(stock.committed)]).toEqual([10, 0]);
    const lines = await query<{ event_id: string }[]>(
      "SELECT event_id FROM inventory_event_lines WHERE sku = 'REJ-1' ORDER BY id",
    );
    expect(lines.map((row) => row.event_id)).toEqual(['rej-add', 'rej-more', 'rej-after']);

    const letters = await query<{ sequence_number: string; reason: string; detail: string; raw_base64: string }[]>(
      'SELECT sequence_number, reason, detail, raw_base64 FROM dead_letters WHERE shard_id = ? ORDER BY sequence_number',
      [shardId],
    );
    expect(letters.map((letter) => [letter.sequence_number, letter.reason])).toEqual([
      ['301', 'apply_refused'],
      ['303', 'not_json'],
    ]);
    expect(letters[0].detail).toMatch(/rej-order.*exact integer range/i);
    expect(Buffer.from(letters[0].raw_base64, 'base64').toString()).toContain('"eventId":"rej-order"');

    // Persisted in the attempt that met the error, not retried: each job completes in its first
    // attempt. A batch may be persisted by the other batch's job (the shard's chain, in order); its
    // own job then finds it done.
    const ours = await eventually(
      async () => {
        const completed = (await queue.getJobs(['completed'])).filter((item) => item.data.shardId === shardId);
        return completed.length === 2 ? completed : undefined;
      },
      10_000,
      'both jobs completed',
    );
    expect(ours.map((item) => item.attemptsMade)).toEqual([1, 1]);
    const outcomes = ours.map((item) => String(item.returnvalue)).sort();
    expect([
      ['persisted', 'persisted'],
      ['persisted', 'superseded'],
    ]).toContainEqual(outcomes);
    // The live dead-letter stream has the refused event too.
    const liveLetters = await redis.xrange(new RedisKeys(stack.config.redis.prefix).deadLetters(), '-', '+');
    expect(liveLetters.map(([, fields]) => fields[fields.indexOf('reason') + 1])).toContain('apply_refused');
  });
});

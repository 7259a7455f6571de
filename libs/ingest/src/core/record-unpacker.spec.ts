import { aggregateOneWithLibrary } from '../../../../test/support/kpl-records';
import { hashKeyOf } from './kpl-deaggregator';
import {
  decodeRecord,
  dropRepeatedEventIds,
  MAX_REJECTED_PER_AGGREGATE,
  UnpackedItem,
  unpackRecord,
} from './record-unpacker';

const options = { maxEventBytes: 10_000 };
const event = (sku: string, id: string) =>
  JSON.stringify({
    event_type: 'quantity_changed',
    event_id: id,
    product: { product_id: sku, quantity_delta: 1, timestamp: '2024-01-01T00:00:00Z' },
  });

describe(unpackRecord.name, () => {
  const input = (data: Uint8Array) => ({ shardId: 'shard-1', sequenceNumber: '4950', arrivalTime: 0, data });

  it('decodes a plain record at sub-sequence 0', () => {
    const sut = unpackRecord(input(Buffer.from(event('A', 'e1'))), null, null, options);
    expect(sut.items).toEqual([
      expect.objectContaining({ ok: true, position: { sequenceNumber: '4950', subSequence: 0 } }),
    ]);
  });

  it('dead-letters a bad plain record with its reason', () => {
    const sut = unpackRecord(input(Buffer.from('nope')), null, null, options);
    expect(sut.items).toEqual([expect.objectContaining({ ok: false, reason: 'not_json' })]);
  });

  it('resumes inside an aggregate after the checkpointed sub-sequence', async () => {
    const data = await aggregateOneWithLibrary(
      ['e1', 'e2', 'e3'].map((id) => ({ partitionKey: 'A', data: Buffer.from(event('A', id)) })),
    );
    const sut = unpackRecord(input(data), null, { sequenceNumber: '4950', subSequence: 0 }, options);
    expect(sut.items.map((item) => (item.ok ? item.event.eventId : item.reason))).toEqual(['e2', 'e3']);
    expect(sut.last).toEqual({ sequenceNumber: '4950', subSequence: 2 });
  });

  it('skips a record at or before the checkpoint, comparing sequence numbers as integers', () => {
    const sut = unpackRecord(
      input(Buffer.from(event('A', 'e1'))),
      null,
      { sequenceNumber: '10000', subSequence: 0 },
      options,
    );
    expect(sut.items).toEqual([]);
  });

  it('dead-letters a corrupt aggregate as a whole', async () => {
    const data = Buffer.from(
      await aggregateOneWithLibrary([{ partitionKey: 'A', data: Buffer.from(event('A', 'e1')) }]),
    );
    data[data.length - 1] ^= 1;
    const sut = unpackRecord(input(data), null, null, options);
    expect(sut.items).toEqual([expect.objectContaining({ ok: false, reason: 'kpl_bad_checksum' })]);
  });
});

describe(`${unpackRecord.name} with aggregates of mixed partition keys`, () => {
  const input = (data: Uint8Array) => ({ shardId: 'shard-1', sequenceNumber: '4950', arrivalTime: 0, data });
  const skus = Array.from({ length: 12 }, (_, index) => `MIX-${index}`);
  const lowerHalf = { start: 0n, end: 2n ** 127n - 1n };
  const outside = skus.filter((sku) => hashKeyOf(sku, null) > lowerHalf.end);
  const skuOrReason = (item: UnpackedItem) =>
    item.ok && 'sku' in item.event ? item.event.sku : item.ok || item.reason;

  it('applies every user record, counting those outside the shard’s range', async () => {
    const data = await aggregateOneWithLibrary(
      skus.map((sku, index) => ({ partitionKey: sku, data: Buffer.from(event(sku, `e${index}`)) })),
    );
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.length).toBeLessThan(skus.length);

    const sut = unpackRecord(input(data), lowerHalf, null, options);

    expect(sut.items.map(skuOrReason)).toEqual(skus);
    expect(sut.items.map((item) => item.position.subSequence)).toEqual(skus.map((_, index) => index));
    expect(sut).toMatchObject({ userRecords: skus.length, outsideRange: outside.length });
    expect(sut.last).toEqual({ sequenceNumber: '4950', subSequence: skus.length - 1 });
  });

  it('counts only the user records after the checkpoint when an aggregate is read again', async () => {
    const data = await aggregateOneWithLibrary(
      skus.map((sku, index) => ({ partitionKey: sku, data: Buffer.from(event(sku, `e${index}`)) })),
    );
    const sut = unpackRecord(input(data), lowerHalf, { sequenceNumber: '4950', subSequence: 5 }, options);
    const rest = skus.slice(6);
    expect(sut.items.map(skuOrReason)).toEqual(rest);
    expect(sut).toMatchObject({
      userRecords: rest.length,
      outsideRange: rest.filter((sku) => outside.includes(sku)).length,
    });
  });

  it('dead-letters an aggregate whole when more than MAX_REJECTED_PER_AGGREGATE of its user records are rejected', async () => {
    const good = { partitionKey: 'A', data: Buffer.from(event('A', 'e1')) };
    const bad = { partitionKey: 'B', data: Buffer.from('{}') };
    const atLimit = await aggregateOneWithLibrary([good, ...Array(MAX_REJECTED_PER_AGGREGATE).fill(bad)]);
    const overLimit = await aggregateOneWithLibrary([good, ...Array(MAX_REJECTED_PER_AGGREGATE + 1).fill(bad)]);

    const kept = unpackRecord(input(atLimit), null, null, options);
    expect(kept.items).toHaveLength(MAX_REJECTED_PER_AGGREGATE + 1);
    expect(kept.items[0]).toMatchObject({ ok: true });

    const sut = unpackRecord(input(overLimit), null, null, options);
    expect(sut.items).toEqual([
      expect.objectContaining({
        ok: false,
        reason: 'kpl_malformed',
        position: { sequenceNumber: '4950', subSequence: 0 },
        detail: expect.stringMatching(
          /^more than 1000 of its 1002 user records are rejected; record 1001: invalid_event/,
        ),
      }),
    ]);
    expect(sut).toMatchObject({ userRecords: MAX_REJECTED_PER_AGGREGATE + 2, last: { subSequence: 1001 } });
  });

  it('counts no user records for a plain record', () => {
    expect(unpackRecord(input(Buffer.from(event('A', 'e1'))), lowerHalf, null, options)).toMatchObject({
      userRecords: 0,
      outsideRange: 0,
    });
  });
});

describe(decodeRecord.name, () => {
  const context = { streamName: 'events', range: null, after: null, receivedAt: 1_700_000_000_000 };

  it('turns an aggregate into its events and its stored dead letters, by position', async () => {
    const data = await aggregateOneWithLibrary([
      { partitionKey: 'A', data: Buffer.from(event('A', 'e1')) },
      { partitionKey: 'B', data: Buffer.from('{"card_number":"4539 5787 6362 1486"') },
      { partitionKey: 'C', data: Buffer.from(event('C', 'e3')) },
    ]);

    const sut = decodeRecord({ shardId: 'shard-1', sequenceNumber: '4950', arrivalTime: 0, data }, context, options);

    expect(sut.events.map(({ position, event }) => [position.subSequence, event.eventId])).toEqual([
      [0, 'e1'],
      [2, 'e3'],
    ]);
    expect(sut.deadLetters).toEqual([
      expect.objectContaining({
        streamName: 'events',
        shardId: 'shard-1',
        position: { sequenceNumber: '4950', subSequence: 1 },
        reason: 'not_json',
        receivedAt: context.receivedAt,
      }),
    ]);
    expect(Buffer.from(sut.deadLetters[0].rawBase64, 'base64').toString()).toBe('{"card_number":"[redacted]"');
    expect(sut).toMatchObject({ userRecords: 3, last: { sequenceNumber: '4950', subSequence: 2 } });
  });
});

describe(dropRepeatedEventIds.name, () => {
  it('keeps the first event of each id', () => {
    const items = ['a', 'b', 'a', 'c', 'b'].map((eventId, index) => ({ index, event: { eventId } }));
    const sut = dropRepeatedEventIds(items);
    expect(sut.kept.map((item) => item.index)).toEqual([0, 1, 3]);
    expect(sut.dropped.map((item) => item.index)).toEqual([2, 4]);
  });
});

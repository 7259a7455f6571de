import { aggregateOneWithLibrary } from '../../../../test/support/kpl-records';
import { dropRepeatedEventIds, unpackRecord } from './record-unpacker';

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

describe(dropRepeatedEventIds.name, () => {
  it('keeps the first event of each id', () => {
    const items = ['a', 'b', 'a', 'c', 'b'].map((eventId, index) => ({ index, event: { eventId } }));
    const sut = dropRepeatedEventIds(items);
    expect(sut.kept.map((item) => item.index)).toEqual([0, 1, 3]);
    expect(sut.dropped.map((item) => item.index)).toEqual([2, 4]);
  });
});

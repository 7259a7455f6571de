import { createHash } from 'node:crypto';
import { aggregateOneWithLibrary, aggregateWithLibrary } from '../../../../test/support/kpl-records';
import { deaggregateRecord, hashKeyOf, KPL_MAGIC } from './kpl-deaggregator';

const FULL_RANGE = { start: 0n, end: 2n ** 128n - 1n };

describe(deaggregateRecord.name, () => {
  it('leaves a plain JSON record alone', () => {
    expect(deaggregateRecord(Buffer.from('{"event_type":"x"}'), FULL_RANGE)).toEqual({ kind: 'plain' });
  });

  it('unpacks every user record of an aggregate built by aws-kinesis-agg, in order, with sub-sequence numbers', async () => {
    const records = Array.from({ length: 5 }, (_, index) => ({
      partitionKey: `SKU-${index % 2}`,
      data: Buffer.from(JSON.stringify({ n: index })),
    }));
    const [aggregated] = await aggregateWithLibrary(records);

    const sut = deaggregateRecord(aggregated, FULL_RANGE);

    expect(sut.kind).toBe('aggregated');
    if (sut.kind !== 'aggregated') return;
    expect(sut.records.map((record) => record.subSequence)).toEqual([0, 1, 2, 3, 4]);
    expect(sut.records.map((record) => Buffer.from(record.data).toString())).toEqual(
      records.map((record) => record.data.toString()),
    );
    expect(sut.records.map((record) => record.partitionKey)).toEqual(['SKU-0', 'SKU-1', 'SKU-0', 'SKU-1', 'SKU-0']);
  });

  it('keeps user records whose explicit hash key is outside the shard, marking and counting them', async () => {
    const half = 2n ** 127n;
    // Keys above 2^32: the library builds its key table with Object.keys, which reorders small integer keys.
    const [aggregated] = await aggregateWithLibrary([
      { partitionKey: 'a', explicitHashKey: (2n ** 40n).toString(), data: Buffer.from('low-1') },
      { partitionKey: 'b', explicitHashKey: (half + 5n).toString(), data: Buffer.from('high') },
      { partitionKey: 'c', explicitHashKey: (2n ** 41n).toString(), data: Buffer.from('low-2') },
    ]);

    const sut = deaggregateRecord(aggregated, { start: 0n, end: half - 1n });

    expect(sut).toMatchObject({ kind: 'aggregated', outsideRange: 1 });
    if (sut.kind !== 'aggregated') return;
    expect(
      sut.records.map((record) => [record.subSequence, Buffer.from(record.data).toString(), record.outsideRange]),
    ).toEqual([
      [0, 'low-1', false],
      [1, 'high', true],
      [2, 'low-2', false],
    ]);
  });

  it('routes records without an explicit hash key by the MD5 of their partition key', async () => {
    const [aggregated] = await aggregateWithLibrary([
      { partitionKey: 'left', data: Buffer.from('1') },
      { partitionKey: 'right', data: Buffer.from('2') },
    ]);
    const leftKey = hashKeyOf('left', null);

    const sut = deaggregateRecord(aggregated, { start: leftKey, end: leftKey });

    expect(sut).toMatchObject({
      kind: 'aggregated',
      outsideRange: 1,
      records: [
        { partitionKey: 'left', outsideRange: false },
        { partitionKey: 'right', outsideRange: true },
      ],
    });
  });

  it('keeps every user record of an aggregate of mixed partition keys, whichever shard reads it', async () => {
    // As aws-kinesis-agg packs them: many partition keys, one aggregate, put on one shard.
    const records = Array.from({ length: 64 }, (_, index) => ({
      partitionKey: `SKU-${index % 16}`,
      data: Buffer.from(JSON.stringify({ n: index })),
    }));
    const aggregated = await aggregateOneWithLibrary(records);
    const quarter = 2n ** 126n;
    const shards = [0n, 1n, 2n, 3n].map((index) => ({ start: index * quarter, end: (index + 1n) * quarter - 1n }));

    const results = shards.map((range) => deaggregateRecord(aggregated, range));

    for (const [index, sut] of results.entries()) {
      if (sut.kind !== 'aggregated') throw new Error(`shard ${index}: ${sut.kind}`);
      expect(sut.records.map((record) => Buffer.from(record.data).toString())).toEqual(
        records.map((record) => record.data.toString()),
      );
      const range = shards[index];
      const outside = records.filter((record) => {
        const hashKey = hashKeyOf(record.partitionKey, null);
        return hashKey < range.start || hashKey > range.end;
      });
      expect(sut.outsideRange).toBe(outside.length);
      expect(sut.records.filter((record) => record.outsideRange)).toHaveLength(outside.length);
    }
    // Each user record is inside exactly one of the four ranges, and outside the three others.
    const totalOutside = results.reduce((sum, sut) => sum + (sut.kind === 'aggregated' ? sut.outsideRange : 0), 0);
    expect(totalOutside).toBe(records.length * 3);
  });

  it('marks nothing as outside when the shard range is not known', async () => {
    const [aggregated] = await aggregateWithLibrary([{ partitionKey: 'a', data: Buffer.from('1') }]);
    expect(deaggregateRecord(aggregated, null)).toMatchObject({
      kind: 'aggregated',
      outsideRange: 0,
      records: [{ outsideRange: false }],
    });
  });

  it('rejects an aggregate whose MD5 does not match its body', async () => {
    const [aggregated] = await aggregateWithLibrary([{ partitionKey: 'a', data: Buffer.from('hello world') }]);
    const tampered = Buffer.from(aggregated);
    tampered[KPL_MAGIC.length + 8] ^= 0xff;

    expect(deaggregateRecord(tampered, FULL_RANGE)).toMatchObject({ kind: 'corrupt', reason: 'kpl_bad_checksum' });
  });

  it('rejects a well-summed but malformed body', () => {
    const body = Buffer.from([0x1a, 0x05, 0x08]); // records field claims 5 bytes, has 1
    const record = Buffer.concat([KPL_MAGIC, body, createHash('md5').update(body).digest()]);

    expect(deaggregateRecord(record, FULL_RANGE)).toMatchObject({ kind: 'corrupt', reason: 'kpl_malformed' });
  });
});

describe(hashKeyOf.name, () => {
  it('reads the MD5 of the partition key as a big-endian 128-bit number', () => {
    expect(hashKeyOf('abc', null)).toBe(BigInt('0x900150983cd24fb0d6963f7d28e17f72'));
    expect(hashKeyOf('abc', '42')).toBe(42n);
  });
});

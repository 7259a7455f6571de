import { createHash } from 'node:crypto';

/** The four bytes the KPL puts before an aggregated record's protobuf body. */
export const KPL_MAGIC = Uint8Array.of(0xf3, 0x89, 0x9a, 0xc2);
const DIGEST_BYTES = 16;

/** A shard's hash key range, inclusive at both ends (ListShards' HashKeyRange). */
export interface HashKeyRange {
  start: bigint;
  end: bigint;
}

export interface KplUserRecord {
  /** Index of the user record inside its aggregate: the sub-sequence number. */
  subSequence: number;
  partitionKey: string;
  explicitHashKey: string | null;
  data: Uint8Array;
  /**
   * Its hash key lies outside the reading shard's range. It is still this shard's to apply: a
   * Kinesis record is read only from the shard it was written to, so no other shard will see it.
   */
  outsideRange: boolean;
}

export type DeaggregateResult =
  | { kind: 'plain' }
  | { kind: 'aggregated'; records: KplUserRecord[]; outsideRange: number }
  | { kind: 'corrupt'; reason: 'kpl_bad_checksum' | 'kpl_malformed'; detail: string };

export function isKplAggregated(data: Uint8Array): boolean {
  return data.byteLength > KPL_MAGIC.length + DIGEST_BYTES && KPL_MAGIC.every((byte, index) => data[index] === byte);
}

/** The hash key Kinesis routes a user record by: the explicit one, else MD5 of the partition key as a 128-bit integer. */
export function hashKeyOf(partitionKey: string, explicitHashKey: string | null): bigint {
  if (explicitHashKey !== null) return BigInt(explicitHashKey);
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

const EXPLICIT_HASH_KEY = /^\d{1,39}$/;

/**
 * Unpacks a KPL-aggregated record: checks the magic bytes and the MD5 of the protobuf body,
 * decodes the body and returns every user record, in order. A producer library puts user records
 * of any partition key into one aggregate, sent to one shard, and only that shard ever reads it
 * (also after a split: the aggregate stays on the parent), so none may be dropped; those whose
 * hash key lies outside `range` are marked and counted. A record without the magic bytes is `plain`.
 */
export function deaggregateRecord(data: Uint8Array, range: HashKeyRange | null): DeaggregateResult {
  if (!isKplAggregated(data)) return { kind: 'plain' };
  const body = data.subarray(KPL_MAGIC.length, data.byteLength - DIGEST_BYTES);
  const digest = data.subarray(data.byteLength - DIGEST_BYTES);
  const actual = createHash('md5').update(body).digest();
  if (!actual.equals(digest)) {
    return { kind: 'corrupt', reason: 'kpl_bad_checksum', detail: 'the MD5 of the aggregated record does not match' };
  }
  let decoded: { partitionKeys: string[]; explicitHashKeys: string[]; records: RawUserRecord[] };
  try {
    decoded = decodeAggregatedRecord(body);
  } catch (error) {
    return { kind: 'corrupt', reason: 'kpl_malformed', detail: `aggregated record: ${(error as Error).message}` };
  }
  // Whether a key table entry routes outside the range, worked out once per entry and looked up by
  // its index: an aggregate can hold many thousands of user records sharing a few (long) keys.
  const isOutside = (hashKey: () => bigint, cache: Map<number, boolean>, index: number) => {
    if (range === null) return false;
    let outside = cache.get(index);
    if (outside === undefined) {
      const key = hashKey();
      outside = key < range.start || key > range.end;
      cache.set(index, outside);
    }
    return outside;
  };
  const byPartitionKey = new Map<number, boolean>();
  const byExplicitHashKey = new Map<number, boolean>();
  const records: KplUserRecord[] = [];
  let outsideRange = 0;
  for (const [subSequence, raw] of decoded.records.entries()) {
    const partitionKey = decoded.partitionKeys[raw.partitionKeyIndex];
    if (partitionKey === undefined) {
      return {
        kind: 'corrupt',
        reason: 'kpl_malformed',
        detail: `record ${subSequence}: partition key index out of range`,
      };
    }
    let explicitHashKey: string | null = null;
    if (raw.explicitHashKeyIndex !== null) {
      explicitHashKey = decoded.explicitHashKeys[raw.explicitHashKeyIndex] ?? null;
      if (explicitHashKey === null || !EXPLICIT_HASH_KEY.test(explicitHashKey)) {
        return { kind: 'corrupt', reason: 'kpl_malformed', detail: `record ${subSequence}: bad explicit hash key` };
      }
    }
    const outsideRecord =
      explicitHashKey === null
        ? isOutside(() => hashKeyOf(partitionKey, null), byPartitionKey, raw.partitionKeyIndex)
        : isOutside(() => BigInt(explicitHashKey), byExplicitHashKey, raw.explicitHashKeyIndex!);
    if (outsideRecord) outsideRange++;
    records.push(new UserRecordView(body, raw, subSequence, partitionKey, explicitHashKey, outsideRecord));
  }
  return { kind: 'aggregated', records, outsideRange };
}

interface RawUserRecord {
  partitionKeyIndex: number;
  explicitHashKeyIndex: number | null;
  /** Where its data lies in the aggregate's body. */
  dataStart: number;
  dataEnd: number;
}

/**
 * A user record whose data is a view made when it is read: an aggregate can hold 150,000 user
 * records, and as many typed array views kept alive at once make each garbage collection slower.
 */
class UserRecordView implements KplUserRecord {
  private readonly dataStart: number;
  private readonly dataEnd: number;

  constructor(
    private readonly body: Uint8Array,
    raw: RawUserRecord,
    readonly subSequence: number,
    readonly partitionKey: string,
    readonly explicitHashKey: string | null,
    readonly outsideRange: boolean,
  ) {
    this.dataStart = raw.dataStart;
    this.dataEnd = raw.dataEnd;
  }

  get data(): Uint8Array {
    return this.body.subarray(this.dataStart, this.dataEnd);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// message AggregatedRecord { repeated string partition_key_table = 1; repeated string explicit_hash_key_table = 2;
//                            repeated Record records = 3; }
function decodeAggregatedRecord(body: Uint8Array) {
  const partitionKeys: string[] = [];
  const explicitHashKeys: string[] = [];
  const records: RawUserRecord[] = [];
  const reader = new ProtobufReader(body, 0, body.byteLength);
  while (!reader.done) {
    const key = reader.varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === 1 && wireType === 2) partitionKeys.push(utf8.decode(reader.bytes()));
    else if (field === 2 && wireType === 2) explicitHashKeys.push(utf8.decode(reader.bytes()));
    else if (field === 3 && wireType === 2) {
      const length = reader.varint();
      records.push(decodeUserRecord(body, reader.advance(length), length));
    } else reader.skip(wireType);
  }
  return { partitionKeys, explicitHashKeys, records };
}

// message Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
//                  required bytes data = 3; repeated Tag tags = 4; }
// Read in place (offsets into the body, no view per field): aggregates can hold very many records.
function decodeUserRecord(body: Uint8Array, start: number, length: number): RawUserRecord {
  const reader = new ProtobufReader(body, start, start + length);
  let partitionKeyIndex: number | null = null;
  let explicitHashKeyIndex: number | null = null;
  let dataStart = -1;
  let dataEnd = -1;
  while (!reader.done) {
    const key = reader.varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === 1 && wireType === 0) partitionKeyIndex = reader.varint();
    else if (field === 2 && wireType === 0) explicitHashKeyIndex = reader.varint();
    else if (field === 3 && wireType === 2) {
      const dataLength = reader.varint();
      dataStart = reader.advance(dataLength);
      dataEnd = dataStart + dataLength;
    } else reader.skip(wireType);
  }
  if (partitionKeyIndex === null || dataStart < 0) throw new Error('a user record lacks its partition key or data');
  return { partitionKeyIndex, explicitHashKeyIndex, dataStart, dataEnd };
}

/** Just enough of the protobuf wire format for the KPL's two messages, over `buffer[start, end)`. */
class ProtobufReader {
  private offset: number;

  constructor(
    private readonly buffer: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.offset = start;
  }

  get done(): boolean {
    return this.offset >= this.end;
  }

  varint(): number {
    let result = 0;
    let multiplier = 1;
    for (let index = 0; index < 10; index++) {
      if (this.offset >= this.end) throw new Error('truncated varint');
      const byte = this.buffer[this.offset++];
      result += (byte & 0x7f) * multiplier;
      if (byte < 0x80) {
        if (!Number.isSafeInteger(result)) throw new Error('varint too large');
        return result;
      }
      multiplier *= 128;
    }
    throw new Error('varint too long');
  }

  bytes(): Uint8Array {
    const length = this.varint();
    const start = this.advance(length);
    return this.buffer.subarray(start, start + length);
  }

  /** Moves past `count` bytes and returns where they start. */
  advance(count: number): number {
    if (this.offset + count > this.end) throw new Error('truncated field');
    const start = this.offset;
    this.offset += count;
    return start;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.advance(8);
        return;
      case 2:
        this.advance(this.varint());
        return;
      case 5:
        this.advance(4);
        return;
      default:
        throw new Error(`unsupported wire type ${wireType}`);
    }
  }
}

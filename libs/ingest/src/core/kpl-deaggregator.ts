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
}

export type DeaggregateResult =
  | { kind: 'plain' }
  | { kind: 'aggregated'; records: KplUserRecord[]; total: number; outsideRange: number }
  | { kind: 'corrupt'; reason: 'kpl_bad_checksum' | 'kpl_malformed'; detail: string };

export function isKplAggregated(data: Uint8Array): boolean {
  return data.byteLength > KPL_MAGIC.length + DIGEST_BYTES && KPL_MAGIC.every((byte, index) => data[index] === byte);
}

/** The hash key Kinesis routes a user record by: the explicit one, else MD5 of the partition key as a 128-bit integer. */
export function hashKeyOf(partitionKey: string, explicitHashKey: string | null): bigint {
  if (explicitHashKey !== null) return BigInt(explicitHashKey);
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

/**
 * Unpacks a KPL-aggregated record: checks the magic bytes and the MD5 of the protobuf body,
 * decodes the body, and keeps only the user records whose hash key falls in `range` (after a
 * split an aggregate can carry records that now belong to the sibling shard, which reads them
 * itself). A record without the magic bytes is `plain`.
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
      if (explicitHashKey === null || !/^\d{1,39}$/.test(explicitHashKey)) {
        return { kind: 'corrupt', reason: 'kpl_malformed', detail: `record ${subSequence}: bad explicit hash key` };
      }
    }
    if (range) {
      const hashKey = hashKeyOf(partitionKey, explicitHashKey);
      if (hashKey < range.start || hashKey > range.end) {
        outsideRange++;
        continue;
      }
    }
    records.push({ subSequence, partitionKey, explicitHashKey, data: raw.data });
  }
  return { kind: 'aggregated', records, total: decoded.records.length, outsideRange };
}

interface RawUserRecord {
  partitionKeyIndex: number;
  explicitHashKeyIndex: number | null;
  data: Uint8Array;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// message AggregatedRecord { repeated string partition_key_table = 1; repeated string explicit_hash_key_table = 2;
//                            repeated Record records = 3; }
function decodeAggregatedRecord(body: Uint8Array) {
  const partitionKeys: string[] = [];
  const explicitHashKeys: string[] = [];
  const records: RawUserRecord[] = [];
  const reader = new ProtobufReader(body);
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 1 && wireType === 2) partitionKeys.push(utf8.decode(reader.bytes()));
    else if (field === 2 && wireType === 2) explicitHashKeys.push(utf8.decode(reader.bytes()));
    else if (field === 3 && wireType === 2) records.push(decodeUserRecord(reader.bytes()));
    else reader.skip(wireType);
  }
  return { partitionKeys, explicitHashKeys, records };
}

// message Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
//                  required bytes data = 3; repeated Tag tags = 4; }
function decodeUserRecord(bytes: Uint8Array): RawUserRecord {
  const reader = new ProtobufReader(bytes);
  let partitionKeyIndex: number | null = null;
  let explicitHashKeyIndex: number | null = null;
  let data: Uint8Array | null = null;
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 1 && wireType === 0) partitionKeyIndex = reader.varint();
    else if (field === 2 && wireType === 0) explicitHashKeyIndex = reader.varint();
    else if (field === 3 && wireType === 2) data = reader.bytes();
    else reader.skip(wireType);
  }
  if (partitionKeyIndex === null || data === null) throw new Error('a user record lacks its partition key or data');
  return { partitionKeyIndex, explicitHashKeyIndex, data };
}

/** Just enough of the protobuf wire format for the KPL's two messages. */
class ProtobufReader {
  private offset = 0;

  constructor(private readonly buffer: Uint8Array) {}

  get done(): boolean {
    return this.offset >= this.buffer.byteLength;
  }

  tag(): { field: number; wireType: number } {
    const key = this.varint();
    return { field: Math.floor(key / 8), wireType: key % 8 };
  }

  varint(): number {
    let result = 0;
    let multiplier = 1;
    for (let index = 0; index < 10; index++) {
      if (this.offset >= this.buffer.byteLength) throw new Error('truncated varint');
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
    if (this.offset + length > this.buffer.byteLength) throw new Error('truncated length-delimited field');
    const slice = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
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
        this.bytes();
        return;
      case 5:
        this.advance(4);
        return;
      default:
        throw new Error(`unsupported wire type ${wireType}`);
    }
  }

  private advance(count: number): void {
    if (this.offset + count > this.buffer.byteLength) throw new Error('truncated fixed-width field');
    this.offset += count;
  }
}

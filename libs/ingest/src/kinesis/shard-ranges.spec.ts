import type { Shard } from '@aws-sdk/client-kinesis';
import { adjacentShardPair, hashKeyWidth } from './shard-ranges';

const shard = (id: string, start: string, end: string): Shard => ({
  ShardId: id,
  HashKeyRange: { StartingHashKey: start, EndingHashKey: end },
  SequenceNumberRange: { StartingSequenceNumber: '0' },
});

describe(adjacentShardPair.name, () => {
  it('finds two shards whose ranges touch, in any order, with hash keys past 2^53', () => {
    const high = shard('c', '170141183460469231731687303715884105728', '340282366920938463463374607431768211455');
    const low = shard('a', '0', '85070591730234615865843651857942052863');
    const middle = shard('b', '85070591730234615865843651857942052864', '170141183460469231731687303715884105727');
    expect(adjacentShardPair([high, middle, low]).map((found) => found.ShardId)).toEqual(['a', 'b']);
    expect(adjacentShardPair([high, middle]).map((found) => found.ShardId)).toEqual(['b', 'c']);
  });

  it('refuses shards with a gap between them', () => {
    expect(() => adjacentShardPair([shard('a', '0', '9'), shard('b', '11', '20')])).toThrow(
      'no two open shards are adjacent',
    );
  });
});

describe(hashKeyWidth.name, () => {
  it('is the end minus the start, exact for 128-bit keys', () => {
    expect(hashKeyWidth(shard('a', '0', '340282366920938463463374607431768211455'))).toBe(2n ** 128n - 1n);
  });
});

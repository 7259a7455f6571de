import type { Shard } from '@aws-sdk/client-kinesis';

const start = (shard: Shard) => BigInt(shard.HashKeyRange!.StartingHashKey!);
const end = (shard: Shard) => BigInt(shard.HashKeyRange!.EndingHashKey!);

/** How much of the hash key space a shard covers (its end minus its start). */
export function hashKeyWidth(shard: Shard): bigint {
  return end(shard) - start(shard);
}

/** Two open shards whose hash key ranges touch, so they can be merged; throws when none do. */
export function adjacentShardPair(shards: Shard[]): [Shard, Shard] {
  const sorted = [...shards].sort((left, right) => (start(left) < start(right) ? -1 : 1));
  for (let index = 0; index + 1 < sorted.length; index++) {
    if (end(sorted[index]) + 1n === start(sorted[index + 1])) return [sorted[index], sorted[index + 1]];
  }
  throw new Error('no two open shards are adjacent');
}

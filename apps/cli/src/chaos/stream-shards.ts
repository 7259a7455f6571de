import { KinesisClient, ListShardsCommand, Shard, SplitShardCommand } from '@aws-sdk/client-kinesis';

/** Every shard of the stream, open and closed, across ListShards pages. */
export async function listShards(kinesis: KinesisClient, streamName: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    const response = await kinesis.send(
      new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }),
    );
    shards.push(...(response.Shards ?? []));
    nextToken = response.NextToken;
  } while (nextToken);
  return shards;
}

/** The shards still open (not ended by a split or a merge). */
export async function listOpenShards(kinesis: KinesisClient, streamName: string): Promise<Shard[]> {
  return (await listShards(kinesis, streamName)).filter((shard) => !shard.SequenceNumberRange?.EndingSequenceNumber);
}

/** Splits the shard at the middle of its hash-key range. */
export async function splitShardInHalf(kinesis: KinesisClient, streamName: string, shard: Shard): Promise<void> {
  const start = BigInt(shard.HashKeyRange!.StartingHashKey!);
  const end = BigInt(shard.HashKeyRange!.EndingHashKey!);
  await kinesis.send(
    new SplitShardCommand({
      StreamName: streamName,
      ShardToSplit: shard.ShardId,
      NewStartingHashKey: ((start + end) / 2n).toString(),
    }),
  );
}

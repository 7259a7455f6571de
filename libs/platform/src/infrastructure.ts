import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import type { StockwallConfig } from '@stockwall/config';
import { createKinesisClient, ensureStream, resolveKinesisEndpoint } from '@stockwall/ingest';
import { openDatabase } from '@stockwall/persistence';
import { connectRedis } from './redis-connection';

/**
 * The live connections a process needs, opened (and checked) before the Nest container is
 * built, so a missing dependency is reported as one line instead of a stack trace.
 */
export interface Infrastructure {
  config: StockwallConfig;
  redis: Redis;
  dataSource: DataSource;
  kinesis: KinesisClient;
  kinesisEndpoint: string | undefined;
  close(): Promise<void>;
}

export const INFRASTRUCTURE = Symbol('INFRASTRUCTURE');

export async function openInfrastructure(config: StockwallConfig): Promise<Infrastructure> {
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    const redis = await connectRedis(config.redis.url);
    closers.push(() => redis.quit());
    const dataSource = await openDatabase(config.database);
    closers.push(() => dataSource.destroy());
    const endpoint = await resolveKinesisEndpoint(config.kinesis);
    closers.push(() => endpoint.stop());
    const kinesis = createKinesisClient({ region: config.kinesis.region, endpoint: endpoint.url });
    closers.push(async () => kinesis.destroy());
    await ensureStream(kinesis, {
      streamName: config.kinesis.streamName,
      shardCount: config.kinesis.shardCount,
      allowCreate: endpoint.allowCreateStream,
      endpointLabel: endpoint.url ?? `AWS ${config.kinesis.region}`,
    });
    return { config, redis, dataSource, kinesis, kinesisEndpoint: endpoint.url, close };
  } catch (error) {
    await close();
    throw error;
  }
}

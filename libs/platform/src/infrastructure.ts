import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import type { StockwallConfig } from '@stockwall/config';
import { createKinesisClient, ensureStream, resolveKinesisEndpoint } from '@stockwall/ingest';
import { MysqlConnection, MysqlStartup } from './mysql/mysql-connection';
import { connectRedis } from './redis-connection';

/**
 * The live connections a process needs, opened (and checked) before the Nest container is
 * built, so a missing dependency is reported as one line instead of a stack trace.
 */
export interface Infrastructure {
  config: StockwallConfig;
  redis: Redis;
  /** MySQL's state (connecting, ready, unused) and the handle below. */
  mysql: MysqlConnection;
  /** Stable for the process's life; its calls fail with DependencyUnavailableError('mysql') until MySQL answers. */
  dataSource: DataSource;
  kinesis: KinesisClient;
  kinesisEndpoint: string | undefined;
  close(): Promise<void>;
}

export const INFRASTRUCTURE = Symbol('INFRASTRUCTURE');

export interface OpenInfrastructureOptions {
  /**
   * `wait` (the default) connects and migrates before returning, and an unreachable MySQL stops
   * the start; `background` lets the process start without MySQL and keeps connecting; `unused`
   * never connects. See MysqlStartup.
   */
  mysql?: MysqlStartup;
}

export async function openInfrastructure(
  config: StockwallConfig,
  options: OpenInfrastructureOptions = {},
): Promise<Infrastructure> {
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    const redis = await connectRedis(config.redis.url);
    closers.push(() => redis.quit());
    const mysql = await MysqlConnection.open(config.database, options.mysql ?? 'wait');
    closers.push(() => mysql.close());
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
    return { config, redis, mysql, dataSource: mysql.dataSource, kinesis, kinesisEndpoint: endpoint.url, close };
  } catch (error) {
    await close();
    throw error;
  }
}

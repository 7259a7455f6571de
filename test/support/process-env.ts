import Redis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { loadConfig } from '@stockwall/config';
import { createKinesisClient, ensureStream } from '@stockwall/ingest';
import { testJwtSecret } from './test-secret';

/**
 * The environment of worker and API child processes for one test file: its own Redis key and
 * queue prefixes, MySQL database and stream on `kinesisEndpoint`, created here.
 */
export async function isolatedProcessEnv(
  id: string,
  kinesisEndpoint: string,
  shards = 1,
): Promise<Record<string, string>> {
  const databaseUrl = new URL(process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/stockwall');
  databaseUrl.pathname = `/stockwall_test_${id}`;
  const env = {
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `test:${id}:`,
    QUEUE_PREFIX: `test-${id}`,
    DATABASE_URL: databaseUrl.toString(),
    KINESIS_ENDPOINT: kinesisEndpoint,
    KINESIS_STREAM: `events-${id}`,
    KINESIS_SHARDS: String(shards),
    JWT_SECRET: testJwtSecret(),
  };
  const config = loadConfig(env);
  const kinesis = createKinesisClient({ region: config.kinesis.region, endpoint: kinesisEndpoint });
  try {
    await ensureStream(kinesis, {
      streamName: config.kinesis.streamName,
      shardCount: shards,
      allowCreate: true,
      endpointLabel: kinesisEndpoint,
    });
  } finally {
    kinesis.destroy();
  }
  return env;
}

/** Removes what processes started with `isolatedProcessEnv(...)` left in Redis and MySQL. */
export async function removeProcessData(env: Record<string, string>): Promise<void> {
  const redis = new Redis(env.REDIS_URL);
  try {
    const keys = [...(await redis.keys(`${env.REDIS_PREFIX}*`)), ...(await redis.keys(`${env.QUEUE_PREFIX}:*`))];
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
  const databaseUrl = new URL(env.DATABASE_URL);
  const name = databaseUrl.pathname.slice(1);
  databaseUrl.pathname = '/';
  const mysql = await createConnection({ uri: databaseUrl.toString() });
  try {
    await mysql.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await mysql.end();
  }
}

import { randomBytes } from 'node:crypto';
import { loadConfig, StockwallConfig } from '@stockwall/config';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/stockwall';

/** A configuration with its own database, queue prefix, Redis prefix and stream, like a test stack. */
export function benchConfig(
  kinesisEndpoint: string,
  database: string,
  env: Record<string, string> = {},
): StockwallConfig {
  const id = randomBytes(4).toString('hex');
  const url = new URL(DATABASE_URL);
  url.pathname = `/${database}`;
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    REDIS_URL,
    REDIS_PREFIX: `bench:${id}:`,
    QUEUE_PREFIX: `bench-${id}`,
    DATABASE_URL: url.toString(),
    KINESIS_ENDPOINT: kinesisEndpoint,
    KINESIS_STREAM: `bench-${id}`,
    KINESIS_SHARDS: '1',
    // A new random secret per run: nothing outside the run may hold a token it accepts.
    JWT_SECRET: randomBytes(32).toString('base64url'),
    // Requests come from one address; the limiter would measure itself.
    RATE_LIMIT_MAX: '1000000',
    ...env,
  });
}

export function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

import { z } from 'zod';
import { type EnvironmentValues, urlWithProtocol } from './environment-values';

export interface RedisConfig {
  url: string;
  prefix: string;
}

export const redisEnvironment = {
  REDIS_URL: urlWithProtocol(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:{}.-]{1,64}$/, 'must be 1-64 characters of letters, digits, _ : { } . -')
    .optional(),
};

export function redisConfigOf(values: EnvironmentValues<typeof redisEnvironment>): RedisConfig {
  return { url: values.REDIS_URL, prefix: values.REDIS_PREFIX ?? 'sw:' };
}

import * as path from 'node:path';
import { z } from 'zod';
import { type EnvironmentValues, integer } from './environment-values';

export type KinesisEndpoint = { kind: 'embedded' } | { kind: 'url'; url: string } | { kind: 'aws' };

export interface KinesisConfig {
  streamName: string;
  endpoint: KinesisEndpoint;
  region: string;
  /** Shard count used when Stockwall creates the stream (never on real AWS). */
  shardCount: number;
  /** Port of the embedded emulator started when KINESIS_ENDPOINT is unset. */
  emulatorPort: number;
  /** Where the embedded emulator keeps its streams (null: in memory), so a restart keeps them. */
  emulatorDir: string | null;
}

export const kinesisEnvironment = {
  KINESIS_STREAM: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]{1,128}$/, 'must be a valid Kinesis stream name')
    .optional(),
  KINESIS_ENDPOINT: z
    .string()
    .optional()
    .refine((value) => !value || value === 'aws' || /^https?:\/\/.+/.test(value), 'must be "aws" or an http(s) URL'),
  KINESIS_SHARDS: integer(2, 1, 500),
  KINESIS_EMULATOR_PORT: integer(4567, 0, 65535),
  KINESIS_EMULATOR_DIR: z.string().optional(),
  AWS_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region like eu-west-1')
    .optional(),
};

export function kinesisConfigOf(values: EnvironmentValues<typeof kinesisEnvironment>): KinesisConfig {
  const endpoint = values.KINESIS_ENDPOINT;
  return {
    streamName: values.KINESIS_STREAM ?? 'inventory-events',
    endpoint: !endpoint ? { kind: 'embedded' } : endpoint === 'aws' ? { kind: 'aws' } : { kind: 'url', url: endpoint },
    region: values.AWS_REGION ?? 'us-east-1',
    shardCount: values.KINESIS_SHARDS,
    emulatorPort: values.KINESIS_EMULATOR_PORT,
    emulatorDir:
      values.KINESIS_EMULATOR_DIR === ''
        ? null
        : path.resolve(values.KINESIS_EMULATOR_DIR ?? path.join('.stockwall', 'kinesis')),
  };
}

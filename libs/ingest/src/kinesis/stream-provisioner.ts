import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-kinesis';
import { DependencyUnavailableError } from '@stockwall/config';

/**
 * Makes sure the stream exists and is ACTIVE. Creates it when allowed (emulators only) and
 * turns connection failures into one clear line.
 */
export async function ensureStream(
  client: KinesisClient,
  options: { streamName: string; shardCount: number; allowCreate: boolean; endpointLabel: string },
): Promise<void> {
  const deadline = Date.now() + 30_000;
  let created = false;
  for (;;) {
    try {
      const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: options.streamName }));
      const status = summary.StreamDescriptionSummary?.StreamStatus;
      if (status === 'ACTIVE' || status === 'UPDATING') return;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) {
        if (!options.allowCreate) {
          throw new DependencyUnavailableError(
            'kinesis',
            `Kinesis stream "${options.streamName}" does not exist at ${options.endpointLabel}: create it or set KINESIS_STREAM`,
          );
        }
        if (!created) {
          await createStream(client, options.streamName, options.shardCount);
          created = true;
        }
      } else {
        throw new DependencyUnavailableError(
          'kinesis',
          `Kinesis is not answering at ${options.endpointLabel} (${describeError(error)}): ` +
            'start the emulator or set KINESIS_ENDPOINT',
        );
      }
    }
    if (Date.now() > deadline) {
      throw new DependencyUnavailableError(
        'kinesis',
        `Kinesis stream "${options.streamName}" did not become ACTIVE in 30 s`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function createStream(client: KinesisClient, streamName: string, shardCount: number): Promise<void> {
  try {
    await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  } catch (error) {
    // Another process created it first.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return code
      ? `${code}: ${error.message}`
      : error.name === 'Error'
        ? error.message
        : `${error.name}: ${error.message}`;
  }
  return String(error);
}

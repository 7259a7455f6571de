import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { StockwallConfig } from '@stockwall/config';
import { createKinesisClient, ensureStream, EventPublisher } from '@stockwall/ingest';
import { isKinesisEndpointAnswering } from '@stockwall/local-stack';
import { CliUsageError } from './cli-error';

export interface StreamProducer {
  publisher: EventPublisher;
  client: KinesisClient;
  close(): void;
}

/** A publisher on the configured stream, created first on an emulator (never on AWS). */
export async function openStreamProducer(config: StockwallConfig): Promise<StreamProducer> {
  const endpoint = await producerEndpoint(config.kinesis);
  const client = createKinesisClient({ region: config.kinesis.region, endpoint });
  await ensureStream(client, {
    streamName: config.kinesis.streamName,
    shardCount: config.kinesis.shardCount,
    allowCreate: endpoint !== undefined,
    endpointLabel: endpoint ?? `AWS ${config.kinesis.region}`,
  });
  return {
    publisher: new EventPublisher(client, config.kinesis.streamName),
    client,
    close: () => client.destroy(),
  };
}

/** Where producers send: the configured URL, real AWS, or the embedded emulator a worker or the demo runs. */
export async function producerEndpoint(kinesis: StockwallConfig['kinesis']): Promise<string | undefined> {
  switch (kinesis.endpoint.kind) {
    case 'aws':
      return undefined;
    case 'url':
      return kinesis.endpoint.url;
    case 'embedded': {
      const url = `http://127.0.0.1:${kinesis.emulatorPort}`;
      if (await isKinesisEndpointAnswering(url)) return url;
      throw new CliUsageError(
        `No Kinesis emulator answers at ${url}: start a worker or the demo first, or set KINESIS_ENDPOINT`,
      );
    }
  }
}

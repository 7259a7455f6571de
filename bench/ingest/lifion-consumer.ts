/**
 * One lifion-kinesis consumer (the Node ecosystem's Kinesis client, leases in DynamoDB — here
 * dynalite) doing what the comparison asks of it: one Redis increment per record, keyed by the
 * record's event id, plus a total and the times of the first and last record. Started as a child
 * process by lifion-comparison.bench.ts so it can be killed with SIGKILL.
 * Env: KINESIS_URL, DYNAMODB_URL, STREAM, GROUP, REDIS_URL, KEY_PREFIX.
 */
import Redis from 'ioredis';

interface LifionRecord {
  data: { event_id?: string } | string;
  sequenceNumber: string;
}
interface LifionKinesis {
  on(event: 'data', listener: (chunk: { records: LifionRecord[] }) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  startConsumer(): Promise<void>;
}
type LifionConstructor = new (options: Record<string, unknown>) => LifionKinesis;

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Kinesis = require('lifion-kinesis') as LifionConstructor;
  const redis = new Redis(env('REDIS_URL'));
  const prefix = env('KEY_PREFIX');
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const consumer = new Kinesis({
    streamName: env('STREAM'),
    consumerGroup: env('GROUP'),
    endpoint: env('KINESIS_URL'),
    region: 'us-east-1',
    ...credentials,
    createStreamIfNeeded: false,
    initialPositionInStream: 'TRIM_HORIZON',
    limit: 10_000,
    leaseAcquisitionInterval: 1_000,
    leaseAcquisitionRecoveryInterval: 1_000,
    noRecordsPollDelay: 200,
    pollDelay: 0,
    statsInterval: 3_600_000,
    logger: { debug: () => undefined, warn: () => undefined, error: (message: string) => console.error(message) },
    dynamoDb: {
      endpoint: env('DYNAMODB_URL'),
      region: 'us-east-1',
      ...credentials,
      tableName: `${env('GROUP')}-state`,
    },
  });
  let queue = Promise.resolve();
  consumer.on('data', ({ records }) => {
    if (records.length === 0) return;
    // One increment per record, in one pipeline per GetRecords response (as a consumer would batch).
    queue = queue.then(async () => {
      const pipeline = redis.pipeline();
      for (const record of records) {
        const data = typeof record.data === 'string' ? (JSON.parse(record.data) as { event_id?: string }) : record.data;
        pipeline.incr(`${prefix}seen:${data.event_id ?? record.sequenceNumber}`);
      }
      const now = String(Date.now());
      pipeline.incrby(`${prefix}total`, records.length).set(`${prefix}first`, now, 'NX').set(`${prefix}last`, now);
      await pipeline.exec();
    });
  });
  consumer.on('error', (error) => console.error(`lifion-kinesis: ${error.message}`));
  await consumer.startConsumer();
  process.send?.('ready');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

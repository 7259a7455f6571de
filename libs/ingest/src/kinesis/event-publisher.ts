import { KinesisClient, PutRecordsCommand, PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import type { WireEvent } from '@stockwall/contracts';

const MAX_RECORDS_PER_CALL = 500;
const MAX_ATTEMPTS = 8;

/** The partition key keeps one SKU's events on one shard, in order. */
export function partitionKeyOf(event: WireEvent): string {
  if ('product' in event) return event.product.product_id;
  if ('lines' in event) return event.lines[0]?.sku ?? event.order_id;
  return event.sku;
}

/**
 * Puts events on the stream with PutRecords (500 per call), re-sending only the records a
 * call reports as failed (throttled) with jittered backoff, preserving their order.
 */
export class EventPublisher {
  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
  ) {}

  async publish(events: readonly WireEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += MAX_RECORDS_PER_CALL) {
      const entries = events.slice(start, start + MAX_RECORDS_PER_CALL).map((event): PutRecordsRequestEntry => ({
        Data: Buffer.from(JSON.stringify(event)),
        PartitionKey: partitionKeyOf(event),
      }));
      await this.putWithRetry(entries);
    }
  }

  /** Puts raw records (tests use this to send malformed data). */
  async publishRaw(records: { data: Uint8Array; partitionKey: string }[]): Promise<string[]> {
    const response = await this.client.send(
      new PutRecordsCommand({
        StreamName: this.streamName,
        Records: records.map((record) => ({ Data: record.data, PartitionKey: record.partitionKey })),
      }),
    );
    return (response.Records ?? []).map((record) => record.SequenceNumber ?? '');
  }

  private async putWithRetry(entries: PutRecordsRequestEntry[]): Promise<void> {
    let pending = entries;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const response = await this.client.send(new PutRecordsCommand({ StreamName: this.streamName, Records: pending }));
      if (!response.FailedRecordCount) return;
      if (attempt >= MAX_ATTEMPTS) {
        throw new Error(`${response.FailedRecordCount} records were still rejected after ${MAX_ATTEMPTS} attempts`);
      }
      pending = pending.filter((_, index) => response.Records?.[index]?.ErrorCode);
      const ceiling = Math.min(2_000, 50 * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, ceiling / 2 + Math.random() * (ceiling / 2)));
    }
  }
}

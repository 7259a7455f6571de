import { KinesisClient, PutRecordsCommand, PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import type { WireEvent } from '@stockwall/contracts';
import { partitionKeyOf } from '@stockwall/ingest';
import { ShardProgress } from './shard-progress';

const MAX_RECORDS_PER_CALL = 500;
/** Kinesis takes 5 MB per PutRecords call; stay under it with room for partition keys. */
const MAX_BYTES_PER_CALL = 4_000_000;
const TICK_MS = 100;
/** Events per KPL aggregate (consecutive events, mixed partition keys). */
const AGGREGATE_RUN = 8;

export interface ProducerOptions {
  /** Events per second. */
  rate: number;
  /** Share of events that go inside KPL aggregates (built by aws-kinesis-agg, mixed partition keys). */
  aggregatedShare: number;
  /** Share of events sent a second time (a producer retry after a timeout: same event, same id). */
  retryShare: number;
  random: () => number;
}

export interface ProducerStats {
  eventsSent: number;
  retriesSent: number;
  aggregatesSent: number;
  aggregatedEvents: number;
  aggregateResends: number;
  recordsPut: number;
  putFailuresRetried: number;
  startedAt: number;
  finishedAt: number | null;
}

interface PendingRecord {
  entry: PutRecordsRequestEntry;
  bytes: number;
}

type Aggregate = (
  records: { partitionKey: string; data: Buffer }[],
  handler: (encoded: { partitionKey: string; data: Buffer }, callback: () => void) => void,
  done: () => void,
  onError: (error: Error) => void,
) => void;

/**
 * Sends the events at a steady rate, as real producers do: PutRecords batches with the SKU as
 * partition key, some events inside KPL aggregates with mixed partition keys, some re-sent as
 * producer retries (the same event id again). Every record's shard and sequence number is handed to
 * the progress tracker, so the run can measure how far behind the pipeline is.
 */
export class SteadyProducer {
  readonly stats: ProducerStats = {
    eventsSent: 0,
    retriesSent: 0,
    aggregatesSent: 0,
    aggregatedEvents: 0,
    aggregateResends: 0,
    recordsPut: 0,
    putFailuresRetried: 0,
    startedAt: 0,
    finishedAt: null,
  };
  /** Events actually sent, first sends only, in order. */
  readonly sent: WireEvent[] = [];
  /** Ids of the events sent inside KPL aggregates (to tell, of lost events, how they were sent). */
  readonly aggregatedIds = new Set<string>();
  private stopped = false;
  private readonly retryQueue: { dueAt: number; event: WireEvent }[] = [];
  private lastAggregate: { data: Buffer; partitionKey: string } | null = null;
  private aggregate: Aggregate | null = null;

  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
    private readonly progress: ShardProgress,
    private readonly options: ProducerOptions,
  ) {}

  /** Sends every event; resolves when the last one is on the stream (or stop() was called). */
  async run(events: readonly WireEvent[], onProgress?: (sent: number) => void): Promise<void> {
    // Loaded here: the aggregation library is a development tool, not needed by the other commands.
    const library = (await import('aws-kinesis-agg')) as unknown as { aggregate: Aggregate };
    this.aggregate = library.aggregate;
    this.stats.startedAt = Date.now();
    let next = 0;
    while (next < events.length && !this.stopped) {
      const due = Math.min(
        events.length,
        Math.floor(((Date.now() - this.stats.startedAt) / 1000) * this.options.rate) + 1,
      );
      if (due > next) {
        const chunk = events.slice(next, due);
        next = due;
        await this.sendChunk(chunk);
        onProgress?.(next);
      }
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
    // Retries still waiting go out now.
    await this.sendRetries(Number.POSITIVE_INFINITY);
    this.stats.finishedAt = Date.now();
  }

  stop(): void {
    this.stopped = true;
  }

  /** Puts raw records as they are (poison, oversize): returns each record's shard and sequence number. */
  async putRaw(records: { data: Buffer; partitionKey: string }[]): Promise<{ shardId: string; sequence: string }[]> {
    const placed: { shardId: string; sequence: string }[] = [];
    for (const record of records) {
      const response = await this.client.send(
        new PutRecordsCommand({
          StreamName: this.streamName,
          Records: [{ Data: record.data, PartitionKey: record.partitionKey }],
        }),
      );
      const result = response.Records?.[0];
      if (!result?.SequenceNumber || !result.ShardId) {
        throw new Error(
          `the stream refused a ${record.data.length}-byte record: ${result?.ErrorMessage ?? 'no reason'}`,
        );
      }
      this.progress.recordPut(result.ShardId, result.SequenceNumber, Date.now());
      placed.push({ shardId: result.ShardId, sequence: result.SequenceNumber });
    }
    return placed;
  }

  /**
   * Puts a chunk in order: runs of consecutive events (about `aggregatedShare` of them) go as one KPL
   * aggregate placed where the run was, the rest as plain records, so the records keep the order the
   * events are recorded as sent in.
   */
  private async sendChunk(chunk: WireEvent[]): Promise<void> {
    const records: PendingRecord[] = [];
    for (let index = 0; index < chunk.length;) {
      const startsRun = this.options.random() < this.options.aggregatedShare / AGGREGATE_RUN;
      const length = startsRun ? Math.min(chunk.length - index, AGGREGATE_RUN) : 1;
      const part = chunk.slice(index, index + length);
      index += length;
      for (const event of part) {
        this.sent.push(event);
        this.stats.eventsSent++;
        if (startsRun) this.aggregatedIds.add(event.event_id ?? '');
        if (this.options.random() < this.options.retryShare) {
          // A producer that timed out waiting for an answer sends the same event again a little later.
          this.retryQueue.push({ dueAt: Date.now() + 200 + this.options.random() * 3_000, event });
        }
      }
      if (startsRun) records.push(...(await this.aggregatedRecords(part)));
      else records.push(this.entryOf(part[0]));
    }
    await this.putAll(records);
    await this.sendRetries(Date.now());
  }

  private async sendRetries(now: number): Promise<void> {
    const due = this.retryQueue.filter((retry) => retry.dueAt <= now);
    if (due.length === 0) return;
    this.retryQueue.splice(0, this.retryQueue.length, ...this.retryQueue.filter((retry) => retry.dueAt > now));
    const records = due.map((retry) => this.entryOf(retry.event));
    // Now and then the whole last KPL aggregate is re-sent, as a KPL retry would.
    if (this.lastAggregate && this.options.random() < 0.2) {
      const { data, partitionKey } = this.lastAggregate;
      records.push({ entry: { Data: data, PartitionKey: partitionKey }, bytes: data.length + partitionKey.length });
      this.stats.aggregateResends++;
      this.lastAggregate = null;
    }
    this.stats.retriesSent += due.length;
    await this.putAll(records);
  }

  private entryOf(event: WireEvent): PendingRecord {
    const data = Buffer.from(JSON.stringify(event));
    const partitionKey = partitionKeyOf(event);
    return { entry: { Data: data, PartitionKey: partitionKey }, bytes: data.length + partitionKey.length };
  }

  private aggregatedRecords(events: WireEvent[]): Promise<PendingRecord[]> {
    const aggregate = this.aggregate!;
    return new Promise((resolve, reject) => {
      const records: PendingRecord[] = [];
      aggregate(
        events.map((event) => ({ partitionKey: partitionKeyOf(event), data: Buffer.from(JSON.stringify(event)) })),
        (encoded, callback) => {
          records.push({
            entry: { Data: encoded.data, PartitionKey: encoded.partitionKey },
            bytes: encoded.data.length + encoded.partitionKey.length,
          });
          this.stats.aggregatesSent++;
          this.lastAggregate = encoded;
          callback();
        },
        () => {
          this.stats.aggregatedEvents += events.length;
          resolve(records);
        },
        reject,
      );
    });
  }

  /** PutRecords in calls of at most 500 records and 4 MB, re-sending what a call reports as failed. */
  private async putAll(records: PendingRecord[]): Promise<void> {
    let call: PendingRecord[] = [];
    let bytes = 0;
    for (const record of records) {
      if (call.length > 0 && (call.length >= MAX_RECORDS_PER_CALL || bytes + record.bytes > MAX_BYTES_PER_CALL)) {
        await this.put(call);
        call = [];
        bytes = 0;
      }
      call.push(record);
      bytes += record.bytes;
    }
    if (call.length > 0) await this.put(call);
  }

  private async put(records: PendingRecord[]): Promise<void> {
    let pending = records;
    for (let attempt = 1; pending.length > 0; attempt++) {
      let response;
      try {
        response = await this.client.send(
          new PutRecordsCommand({ StreamName: this.streamName, Records: pending.map((record) => record.entry) }),
        );
      } catch (error) {
        if (attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 50 * 2 ** attempt)));
        continue;
      }
      const now = Date.now();
      const failed: PendingRecord[] = [];
      (response.Records ?? []).forEach((result, index) => {
        if (result.ErrorCode || !result.SequenceNumber || !result.ShardId) failed.push(pending[index]);
        else {
          this.stats.recordsPut++;
          this.progress.recordPut(result.ShardId, result.SequenceNumber, now);
        }
      });
      if (failed.length > 0) {
        if (attempt >= 20) throw new Error(`${failed.length} records were still refused after ${attempt} attempts`);
        this.stats.putFailuresRetried += failed.length;
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 50 * 2 ** attempt)));
      }
      pending = failed;
    }
  }
}

import {
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  LimitExceededException,
  ProvisionedThroughputExceededException,
  _Record as KinesisRecord,
} from '@aws-sdk/client-kinesis';
import { Logger } from '@nestjs/common';
import type { DeadLetter, PositionedEvent, StreamPosition } from '@stockwall/contracts';
import { comparePositions } from '@stockwall/contracts';
import { buildDeadLetter } from '../core/dead-letter';
import { decodeEventRecord } from '../core/event-decoder';
import type { Lease } from '../leases/lease.repository';
import type { BatchHandler, CheckpointReader, ShardBatch } from './shard-batch';

export interface ShardPollerOptions {
  streamName: string;
  shardId: string;
  lease: Lease;
  maxRecordsPerCall: number;
  /** Wait between calls when caught up (MillisBehindLatest = 0). */
  idleWaitMs: number;
  maxEventBytes: number;
}

/** Kinesis allows 5 GetRecords calls per second per shard. */
const MIN_CALL_INTERVAL_MS = 200;
const MAX_BACKOFF_MS = 5_000;

export type PollerExit = 'stopped' | 'lost' | 'ended';

/**
 * Reads one leased shard from its checkpoint: no wait while behind, a short wait when caught
 * up, jittered backoff on throttling, a fresh iterator when one expires. Each batch is handed
 * to the handler and awaited before the next read, so at most one batch is in flight.
 */
export class ShardPoller {
  private readonly logger: Logger;
  private stopping = false;
  private wake: (() => void) | null = null;
  private done: Promise<PollerExit> | null = null;

  constructor(
    private readonly client: KinesisClient,
    private readonly checkpoints: CheckpointReader,
    private readonly handler: BatchHandler,
    private readonly options: ShardPollerOptions,
  ) {
    this.logger = new Logger(`ShardPoller ${options.shardId}`);
  }

  get lease(): Lease {
    return this.options.lease;
  }

  start(): Promise<PollerExit> {
    this.done ??= this.run();
    return this.done;
  }

  /** Finishes the batch in flight, then stops. */
  async stop(): Promise<PollerExit> {
    this.stopping = true;
    this.wake?.();
    return this.done ?? 'stopped';
  }

  private async run(): Promise<PollerExit> {
    const { streamName, shardId } = this.options;
    let iterator: string | undefined;
    let after: StreamPosition | null = null;
    let failures = 0;
    let lastCall = 0;
    while (!this.stopping) {
      try {
        if (!iterator) {
          const checkpoint = await this.checkpoints.readCheckpoint(streamName, shardId);
          if (checkpoint.ended) return 'ended';
          after = checkpoint.position;
          iterator = await this.iteratorFrom(after);
        }
        await this.sleep(lastCall + MIN_CALL_INTERVAL_MS - Date.now());
        if (this.stopping) break;
        lastCall = Date.now();
        const response = await this.client.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: this.options.maxRecordsPerCall }),
        );
        failures = 0;
        const records = response.Records ?? [];
        const shardEnd = !response.NextShardIterator;
        const behind = response.MillisBehindLatest ?? 0;
        if (records.length > 0 || shardEnd) {
          const batch = this.decode(records, after, shardEnd, behind);
          const outcome = await this.handler.handle(batch);
          if (outcome === 'fenced') return 'lost';
          if (outcome === 'out_of_order') {
            // Someone else moved the checkpoint: read again from where it is now.
            iterator = undefined;
            continue;
          }
          after = batch.last;
          if (shardEnd) return 'ended';
        }
        iterator = response.NextShardIterator;
        if (records.length === 0 && behind === 0) await this.sleep(this.options.idleWaitMs);
      } catch (error) {
        if (error instanceof ExpiredIteratorException) {
          iterator = undefined;
          continue;
        }
        failures++;
        const throttled =
          error instanceof ProvisionedThroughputExceededException || error instanceof LimitExceededException;
        const delay = jitteredBackoff(failures);
        if (!throttled) this.logger.warn(`GetRecords failed (${(error as Error).message}); retrying in ${delay} ms`);
        await this.sleep(delay);
      }
    }
    return 'stopped';
  }

  private async iteratorFrom(position: StreamPosition | null): Promise<string | undefined> {
    const response = await this.client.send(
      new GetShardIteratorCommand({
        StreamName: this.options.streamName,
        ShardId: this.options.shardId,
        ...(position
          ? { ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: position.sequenceNumber }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return response.ShardIterator;
  }

  private decode(
    records: KinesisRecord[],
    after: StreamPosition | null,
    shardEnd: boolean,
    millisBehindLatest: number,
  ): ShardBatch {
    const { streamName, shardId, lease, maxEventBytes } = this.options;
    const events: PositionedEvent[] = [];
    const deadLetters: DeadLetter[] = [];
    let last = after;
    const receivedAt = Date.now();
    for (const record of records) {
      const position: StreamPosition = { sequenceNumber: record.SequenceNumber ?? '0', subSequence: 0 };
      // Reading AT the checkpoint re-delivers it (and, later, the rest of an aggregate): skip what is applied.
      if (after && comparePositions(position, after) <= 0) continue;
      const data = record.Data ?? new Uint8Array();
      const context = { shardId, position, arrivalTime: record.ApproximateArrivalTimestamp?.getTime() ?? receivedAt };
      const decoded = decodeEventRecord(data, context, { maxEventBytes });
      if (decoded.ok) events.push({ position, event: decoded.event });
      else deadLetters.push(buildDeadLetter(streamName, data, context, decoded.reason, decoded.detail, receivedAt));
      last = position;
    }
    return { streamName, shardId, lease, after, last, events, deadLetters, shardEnd, millisBehindLatest };
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }
}

function jitteredBackoff(failures: number): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(failures, 10));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

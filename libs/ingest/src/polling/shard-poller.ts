import {
  ExpiredIteratorException,
  GetRecordsCommand,
  GetRecordsCommandOutput,
  GetShardIteratorCommand,
  KinesisClient,
  LimitExceededException,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-kinesis';
import { Logger } from '@nestjs/common';
import type { DeadLetter, PositionedEvent, ShardEndPosition, StreamPosition } from '@stockwall/contracts';
import { comparePositions } from '@stockwall/contracts';
import { idleWait, jitteredBackoff, waitForCallSlot } from '../core/backoff';
import type { HashKeyRange } from '../core/kpl-deaggregator';
import { decodeRecord } from '../core/record-unpacker';
import type { Lease } from '../leases/lease.repository';
import type { IngestMetrics } from '../metrics/ingest-metrics';
import type { BatchHandler, CheckpointReader, ShardBatch } from './shard-batch';
import { Signal } from './signal';

/** How a shard is read: the part of a poller's options the shard coordinator passes on to each one. */
export interface ShardReadOptions {
  streamName: string;
  maxRecordsPerCall: number;
  /** Wait between calls when caught up (no records and MillisBehindLatest = 0). */
  idleWaitMs: number;
  maxEventBytes: number;
  /** Events timed further than this ahead of their record's arrival are dead-lettered (decoder default: one day). */
  maxEventTimeAheadMs?: number;
  /** Key of the customer hash (see customerHash); null or absent: customer ids are dropped. */
  customerSalt?: string | null;
  /** GetRecords calls per second on this shard (Kinesis allows 5). */
  callsPerSecond: number;
  /** Responses read ahead while the previous batch is being applied. */
  prefetch: number;
  metrics: IngestMetrics;
}

export interface ShardPollerOptions extends ShardReadOptions {
  shardId: string;
  lease: Lease;
  /** The shard's hash key range: aggregated user records outside it are counted (and applied). */
  hashKeyRange: HashKeyRange | null;
  /** A child shard's parents and their final positions, carried by its first batch. */
  parents?: ShardEndPosition[];
}

export type PollerExit = 'stopped' | 'lost' | 'ended';

interface Fetched {
  generation: number;
  response: GetRecordsCommandOutput;
}

/**
 * Reads one leased shard from its checkpoint. A fetch loop calls GetRecords (no wait while
 * behind, a short wait when caught up, at most `callsPerSecond` calls a second, jittered
 * backoff on throttling, a fresh iterator from the checkpoint when one expires) and keeps up
 * to `prefetch` responses ahead; an apply loop decodes each response and hands it to the
 * handler, one batch at a time, in order. stop() lets the batch being applied finish;
 * stop({ drain: true }), for a shard handed to another worker, stops reading and applies what was
 * read ahead first, so the next owner does not read those records again.
 */
export class ShardPoller {
  private readonly logger: Logger;
  /** Aborts everything: a stop without drain. */
  private readonly abort = new AbortController();
  /** Aborts reading only: a drain stops GetRecords and still applies what was read ahead. */
  private readonly fetchAbort = new AbortController();
  private readonly changed = new Signal();
  private readonly queue: Fetched[] = [];
  private stopping = false;
  private applying = false;
  private fetchDone = false;
  private generation = 0;
  private iterator: string | undefined;
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

  /** Finishes the batch being applied, drops what was read ahead, and stops. */
  async stop(options: { drain?: boolean } = {}): Promise<PollerExit> {
    if (!options.drain) {
      this.stopping = true;
      this.abort.abort();
    }
    this.fetchAbort.abort();
    this.changed.notify();
    return this.done ?? 'stopped';
  }

  private async run(): Promise<PollerExit> {
    const fetching = this.fetchLoop().catch((error: Error) => {
      if (!this.stopping) this.logger.error(`Fetch loop failed: ${error.message}`);
    });
    try {
      return await this.applyLoop();
    } finally {
      this.stopping = true;
      this.abort.abort();
      this.fetchAbort.abort();
      this.changed.notify();
      await fetching;
      this.options.metrics.forgetShard(this.options.shardId);
    }
  }

  private async applyLoop(): Promise<PollerExit> {
    const { streamName, shardId } = this.options;
    let { position: after, ended } = await this.checkpoints.readCheckpoint(streamName, shardId);
    if (ended) return 'ended';
    while (!this.stopping) {
      const fetched = this.queue.shift();
      if (!fetched) {
        if (this.fetchDone) return this.stopping || this.fetchAbort.signal.aborted ? 'stopped' : 'ended';
        await this.changed.wait();
        continue;
      }
      this.changed.notify();
      if (fetched.generation !== this.generation) continue;
      const batch = this.decode(fetched.response, after);
      if (!batch) continue;
      this.applying = true;
      const outcome = await this.applyWithRetry(batch).finally(() => {
        this.applying = false;
        this.changed.notify();
      });
      switch (outcome) {
        case 'applied':
        case 'duplicate':
          after = batch.last;
          if (batch.shardEnd) return 'ended';
          break;
        case 'fenced':
          return 'lost';
        case 'out_of_order':
          // The checkpoint moved under us: drop what was read ahead and read again from it.
          ({ position: after, ended } = await this.checkpoints.readCheckpoint(streamName, shardId));
          if (ended) return 'ended';
          this.restartFrom();
          break;
        case 'stopped':
          return 'stopped';
      }
    }
    return 'stopped';
  }

  /** A failed apply (Redis unreachable, say) is retried with backoff; the batch is never skipped. */
  private async applyWithRetry(batch: ShardBatch) {
    for (let failures = 1; ; failures++) {
      try {
        return await this.handler.handle(batch);
      } catch (error) {
        if (this.stopping) return 'stopped' as const;
        const delay = jitteredBackoff(failures, Math.random);
        this.logger.warn(`Applying a batch failed (${(error as Error).message}); retrying in ${delay} ms`);
        await this.sleep(delay);
        if (this.stopping) return 'stopped' as const;
      }
    }
  }

  private restartFrom(): void {
    this.generation++;
    this.queue.length = 0;
    this.iterator = undefined;
    this.changed.notify();
  }

  private async fetchLoop(): Promise<void> {
    const { shardId, callsPerSecond, prefetch, metrics } = this.options;
    let failures = 0;
    let lastCallAt = 0;
    const reading = () => !this.stopping && !this.fetchAbort.signal.aborted;
    while (reading()) {
      if (this.queue.length + (this.applying ? 1 : 0) > prefetch) {
        await this.changed.wait();
        continue;
      }
      const generation = this.generation;
      try {
        if (!this.iterator) {
          this.iterator = await this.iteratorFromCheckpoint();
          if (!this.iterator) break;
        }
        await this.sleep(waitForCallSlot(lastCallAt, Date.now(), callsPerSecond), this.fetchAbort.signal);
        if (!reading()) break;
        lastCallAt = Date.now();
        const response = await this.client.send(
          new GetRecordsCommand({ ShardIterator: this.iterator, Limit: this.options.maxRecordsPerCall }),
          { abortSignal: this.fetchAbort.signal },
        );
        failures = 0;
        if (generation !== this.generation) continue;
        const records = response.Records ?? [];
        const behind = response.MillisBehindLatest ?? 0;
        metrics.millisBehindLatest.set({ shard: shardId }, behind);
        this.iterator = response.NextShardIterator;
        if (records.length > 0 || !this.iterator) {
          this.queue.push({ generation, response });
          this.changed.notify();
        }
        if (!this.iterator) break;
        await this.sleep(idleWait(records.length, behind, this.options.idleWaitMs), this.fetchAbort.signal);
      } catch (error) {
        if (!reading()) break;
        if (error instanceof ExpiredIteratorException) {
          metrics.getRecordsErrors.inc({ kind: 'expired_iterator' });
          this.iterator = undefined;
          continue;
        }
        failures++;
        const throttled =
          error instanceof ProvisionedThroughputExceededException || error instanceof LimitExceededException;
        if (throttled) metrics.throttles.inc({ shard: shardId });
        metrics.getRecordsErrors.inc({ kind: throttled ? 'throttled' : 'other' });
        const delay = jitteredBackoff(failures, Math.random);
        if (!throttled) this.logger.warn(`Kinesis call failed (${(error as Error).message}); retrying in ${delay} ms`);
        await this.sleep(delay, this.fetchAbort.signal);
      }
    }
    this.fetchDone = true;
    this.changed.notify();
  }

  /** A fresh iterator at the checkpoint (AT_SEQUENCE_NUMBER: the rest of an aggregate is re-read and filtered). */
  private async iteratorFromCheckpoint(): Promise<string | undefined> {
    const { streamName, shardId } = this.options;
    const checkpoint = await this.checkpoints.readCheckpoint(streamName, shardId);
    if (checkpoint.ended) return undefined;
    const position = checkpoint.position;
    const response = await this.client.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shardId,
        ...(position
          ? { ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: position.sequenceNumber }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
      { abortSignal: this.fetchAbort.signal },
    );
    return response.ShardIterator;
  }

  /** Decodes a response into a batch continuing from `after`; null when it holds nothing new. */
  private decode(response: GetRecordsCommandOutput, after: StreamPosition | null): ShardBatch | null {
    const { streamName, shardId, lease, maxEventBytes, maxEventTimeAheadMs, customerSalt, hashKeyRange, metrics } =
      this.options;
    const shardEnd = !response.NextShardIterator;
    const events: PositionedEvent[] = [];
    const deadLetters: DeadLetter[] = [];
    let last = after;
    const receivedAt = Date.now();
    let bytes = 0;
    let count = 0;
    let userRecords = 0;
    let outsideRange = 0;
    for (const record of response.Records ?? []) {
      const data = record.Data ?? new Uint8Array();
      const sequenceNumber = record.SequenceNumber ?? '0';
      const arrivalTime = record.ApproximateArrivalTimestamp?.getTime() ?? receivedAt;
      const decoded = decodeRecord(
        { shardId, sequenceNumber, arrivalTime, data },
        { streamName, range: hashKeyRange, after, receivedAt },
        { maxEventBytes, maxEventTimeAheadMs, customerSalt },
      );
      if (last && comparePositions(decoded.last, last) <= 0) continue;
      last = decoded.last;
      bytes += data.byteLength;
      // A loop, not push(...): an aggregate can hold more user records than a call takes arguments.
      for (const event of decoded.events) events.push(event);
      for (const deadLetter of decoded.deadLetters) deadLetters.push(deadLetter);
      count += decoded.events.length + decoded.deadLetters.length;
      userRecords += decoded.userRecords;
      outsideRange += decoded.outsideRange;
    }
    if (userRecords > 0) metrics.kplUserRecords.inc({ stream: streamName }, userRecords);
    if (outsideRange > 0) metrics.kplOutsideRange.inc({ stream: streamName }, outsideRange);
    metrics.records.inc({ shard: shardId }, count);
    metrics.bytes.inc({ shard: shardId }, bytes);
    const advanced = last !== after;
    if (!advanced && !shardEnd) return null;
    return {
      streamName,
      shardId,
      lease,
      after,
      last,
      events,
      deadLetters,
      shardEnd,
      millisBehindLatest: response.MillisBehindLatest ?? 0,
      ...(after === null && this.options.parents?.length ? { parents: this.options.parents } : {}),
    };
  }

  /** Waits `ms`, or less when `signal` aborts (at once when it already has). */
  private sleep(ms: number, signal: AbortSignal = this.abort.signal): Promise<void> {
    if (ms <= 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

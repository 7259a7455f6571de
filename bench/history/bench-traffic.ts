import { createHash } from 'node:crypto';
import type { PersistBatchJob, PositionedEvent } from '@stockwall/contracts';
import { decodeEventRecord, partitionKeyOf } from '@stockwall/ingest';
import { TrafficGenerator } from '../../apps/cli/src/simulation/traffic-generator';
import { seededRandom } from '../../test/support/seeded-random';

export const BENCH_LOCATIONS = ['main', 'north', 'south', 'harbour'];
export const BENCH_SOURCES = ['web', 'pos', 'marketplace'];

export interface TrafficShape {
  events: number;
  skus: number;
  shards: number;
  eventsPerJob: number;
  /** Event time advances this much per event (business time, not wall time). */
  spacingMs: number;
  startAt: number;
}

/**
 * The simulator's traffic, encoded as records and decoded with the real decoder, split over
 * shards by the publisher's partition key and cut into persist-batch jobs in shard order.
 */
export function buildPersistJobs(shape: TrafficShape, streamName: string): PersistBatchJob[] {
  let clock = shape.startAt;
  const generator = new TrafficGenerator({
    skus: shape.skus,
    locations: BENCH_LOCATIONS,
    sources: BENCH_SOURCES,
    random: seededRandom(42),
    now: () => new Date((clock += shape.spacingMs)),
  });
  const perShard: PositionedEvent[][] = Array.from({ length: shape.shards }, () => []);
  for (let index = 0; index < shape.events; index++) {
    const wire = generator.next();
    const shard = shardOf(partitionKeyOf(wire), shape.shards);
    const position = { sequenceNumber: String(1_000_000 + perShard[shard].length), subSequence: 0 };
    const decoded = decodeEventRecord(
      Buffer.from(JSON.stringify(wire)),
      { shardId: shardName(shard), position, arrivalTime: clock },
      { maxEventBytes: 262_144 },
    );
    if (!decoded.ok) throw new Error(`generated event did not decode: ${decoded.detail}`);
    perShard[shard].push({ position, event: decoded.event });
  }
  const jobs: PersistBatchJob[] = [];
  perShard.forEach((events, shard) => {
    let after: PersistBatchJob['after'] = null;
    for (let start = 0; start < events.length; start += shape.eventsPerJob) {
      const slice = events.slice(start, start + shape.eventsPerJob);
      const last = slice[slice.length - 1].position;
      jobs.push({ streamName, shardId: shardName(shard), after, last, events: slice, deadLetters: [] });
      after = last;
    }
  });
  // Interleave the shards, as pollers enqueue them.
  return jobs.sort((left, right) => Number(left.last.sequenceNumber) - Number(right.last.sequenceNumber));
}

export function shardName(index: number): string {
  return `shardId-${String(index).padStart(12, '0')}`;
}

function shardOf(key: string, shards: number): number {
  return createHash('md5').update(key).digest().readUInt32BE(0) % shards;
}

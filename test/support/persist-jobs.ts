import type { PersistBatchJob, StreamPosition } from '@stockwall/contracts';

export const position = (sequenceNumber: string): StreamPosition => ({ sequenceNumber, subSequence: 0 });

/** A persist-batch job of one `quantity_changed` event at `last`, its id `<sku>-<sequence number>`. */
export function quantityChangeJob(options: {
  streamName: string;
  shardId: string;
  after: StreamPosition | null;
  last: StreamPosition;
  sku: string;
  delta: number;
  occurredAt: string;
}): PersistBatchJob {
  const { streamName, shardId, after, last, sku, delta, occurredAt } = options;
  return {
    streamName,
    shardId,
    after,
    last,
    events: [
      {
        position: last,
        event: {
          type: 'quantity_changed',
          eventId: `${sku}-${last.sequenceNumber}`,
          occurredAt: Date.parse(occurredAt),
          location: 'main',
          source: 'test',
          sku,
          delta,
        },
      },
    ],
    deadLetters: [],
  };
}

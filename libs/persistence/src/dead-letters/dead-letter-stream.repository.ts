import type Redis from 'ioredis';
import { RedisKeys } from '@stockwall/contracts';
import type { DeadLetter, DeadLetterFilter } from './dead-letter.repository';

/** The recent rejected records, in the capped Redis stream the atomic apply writes them to. */
export class DeadLetterStreamRepository {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = new RedisKeys(prefix).deadLetters();
  }

  /** The newest `count` entries, newest first. */
  async newest(count: number): Promise<DeadLetter[]> {
    const entries = await this.redis.xrevrange(this.key, '+', '-', 'COUNT', count);
    return entries.map(([id, fields]) => {
      const value = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
      return {
        id,
        streamName: null,
        shardId: value('shard'),
        sequenceNumber: value('seq'),
        subSequence: Number(value('sub')),
        reason: value('reason'),
        detail: value('detail'),
        rawBase64: value('raw'),
        rawBytes: Number(value('bytes')),
        receivedAt: new Date(Number(value('at'))).toISOString(),
      };
    });
  }

  /**
   * The newest `limit` entries matching the filter, among the newest `scan` ones. Filters apply
   * after the read: the stream is short (capped) and it is read to inspect it.
   */
  async newestMatching(filter: DeadLetterFilter, limit: number, scan: number): Promise<DeadLetter[]> {
    return (await this.newest(scan))
      .filter(
        (letter) =>
          (!filter.reason || letter.reason === filter.reason) && (!filter.shardId || letter.shardId === filter.shardId),
      )
      .slice(0, limit);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { RedisKeys } from '@stockwall/contracts';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import type { DeadLetterPage, DeadLetterQueryDto, DeadLetterView } from './dead-letters.dto';

interface DeadLetterRow {
  id: string;
  stream_name: string;
  shard_id: string;
  sequence_number: string;
  sub_sequence: number;
  reason: string;
  detail: string;
  raw_base64: string;
  raw_bytes: number;
  received_at: Date;
}

/** Rejected records: the MySQL table (every one, newest first) or the Redis stream (live, recent). */
@Injectable()
export class DeadLettersService {
  constructor(@Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure) {}

  list(query: DeadLetterQueryDto): Promise<DeadLetterPage> {
    return query.source === 'live' ? this.listLive(query) : this.listStored(query);
  }

  private async listStored(query: DeadLetterQueryDto): Promise<DeadLetterPage> {
    const where: string[] = [];
    const parameters: unknown[] = [];
    const filters: [string, unknown][] = [
      ['reason = ?', query.reason],
      ['shard_id = ?', query.shardId],
      ['id < ?', query.cursor],
    ];
    for (const [condition, value] of filters) {
      if (value === undefined) continue;
      where.push(condition);
      parameters.push(value);
    }
    const rows = await this.infrastructure.dataSource.query<DeadLetterRow[]>(
      `SELECT id, stream_name, shard_id, sequence_number, sub_sequence, reason, detail, raw_base64, raw_bytes, received_at
       FROM dead_letters ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      [...parameters, query.limit + 1],
    );
    const items = rows.slice(0, query.limit).map((row): DeadLetterView => ({
      id: String(row.id),
      streamName: row.stream_name,
      shardId: row.shard_id,
      sequenceNumber: row.sequence_number,
      subSequence: Number(row.sub_sequence),
      reason: row.reason,
      detail: row.detail,
      rawBase64: row.raw_base64,
      rawBytes: Number(row.raw_bytes),
      receivedAt: new Date(row.received_at).toISOString(),
    }));
    return { items, nextCursor: rows.length > query.limit ? items[items.length - 1].id : null };
  }

  private async listLive(query: DeadLetterQueryDto): Promise<DeadLetterPage> {
    const { redis, config } = this.infrastructure;
    const key = new RedisKeys(config.redis.prefix).deadLetters();
    // Filters apply after the read: the stream is short (capped) and this is an inspection tool.
    const entries = await redis.xrevrange(key, '+', '-', 'COUNT', Math.max(query.limit * 10, 1_000));
    const items = entries
      .map(([id, fields]): DeadLetterView => {
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
      })
      .filter(
        (item) => (!query.reason || item.reason === query.reason) && (!query.shardId || item.shardId === query.shardId),
      )
      .slice(0, query.limit);
    return { items, nextCursor: null };
  }
}

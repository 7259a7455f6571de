import type { DataSource } from 'typeorm';

/** A rejected record, as the MySQL table and the Redis stream both keep it. */
export interface DeadLetter {
  /** The table's id, or the stream entry's id. */
  id: string;
  /** Null in the Redis stream, which holds one stream's letters. */
  streamName: string | null;
  shardId: string;
  sequenceNumber: string;
  subSequence: number;
  reason: string;
  detail: string;
  rawBase64: string;
  rawBytes: number;
  receivedAt: string;
}

export interface DeadLetterFilter {
  reason?: string;
  shardId?: string;
}

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

/** Every rejected record, in the MySQL `dead_letters` table the persist jobs fill. */
export class DeadLetterRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first: at most `limit` letters matching the filter, with ids below `before` when it is given. */
  async listNewest(query: DeadLetterFilter & { before?: string; limit: number }): Promise<DeadLetter[]> {
    const where: string[] = [];
    const parameters: unknown[] = [];
    const filters: [string, unknown][] = [
      ['reason = ?', query.reason],
      ['shard_id = ?', query.shardId],
      ['id < ?', query.before],
    ];
    for (const [condition, value] of filters) {
      if (value === undefined) continue;
      where.push(condition);
      parameters.push(value);
    }
    const rows = await this.dataSource.query<DeadLetterRow[]>(
      `SELECT id, stream_name, shard_id, sequence_number, sub_sequence, reason, detail, raw_base64, raw_bytes, received_at
       FROM dead_letters ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      [...parameters, query.limit],
    );
    return rows.map((row) => ({
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
  }
}

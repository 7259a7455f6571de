import type { Redis } from 'ioredis';
import { RedisKeys, StockAlert } from '@stockwall/contracts';
import { parseEncodedAlert } from './alert-codec';

/** The relay to MySQL: reads the outbox from its first entry. */
export const ALERT_RELAY_GROUP = { name: 'alert-relay', startAt: '0' } as const;

/** A consumer group of the outbox; `startAt` is where a new group begins: '0' every entry kept, '$' only new ones. */
export interface OutboxGroup {
  name: string;
  startAt: '0' | '$';
}

export interface OutboxEntry {
  entryId: string;
  alert: StockAlert;
}

/**
 * The alert outbox the atomic apply writes to: a Redis stream read through a consumer group, so an
 * alert handed on is acknowledged only after it reached the persistence queue, and entries a dead
 * relay held are claimed again.
 */
export class AlertOutboxRepository {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly group: OutboxGroup = ALERT_RELAY_GROUP,
  ) {
    this.key = new RedisKeys(prefix).alerts();
  }

  async ensureGroup(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.key, this.group.name, this.group.startAt, 'MKSTREAM');
    } catch (error) {
      if (!(error as Error).message.includes('BUSYGROUP')) throw error;
    }
  }

  /** New entries for this consumer, waiting up to `blockMs`. */
  async readNew(consumer: string, count: number, blockMs: number): Promise<OutboxEntry[]> {
    const response = (await this.redis.xreadgroup(
      'GROUP',
      this.group.name,
      consumer,
      'COUNT',
      count,
      'BLOCK',
      blockMs,
      'STREAMS',
      this.key,
      '>',
    )) as [string, [string, string[]][]][] | null;
    return response ? toEntries(response[0][1]) : [];
  }

  /** Entries delivered to some consumer but not acknowledged for `idleMs` (a relay died holding them). */
  async claimStale(consumer: string, idleMs: number, count: number): Promise<OutboxEntry[]> {
    const [, entries] = (await this.redis.xautoclaim(
      this.key,
      this.group.name,
      consumer,
      idleMs,
      '0-0',
      'COUNT',
      count,
    )) as [string, [string, string[]][]];
    return toEntries(entries.filter((entry) => entry && entry[1]));
  }

  async acknowledge(entryIds: string[]): Promise<void> {
    if (entryIds.length > 0) await this.redis.xack(this.key, this.group.name, ...entryIds);
  }

  /** The latest alerts, newest first (for snapshots). */
  async recent(count: number): Promise<StockAlert[]> {
    const entries = (await this.redis.xrevrange(this.key, '+', '-', 'COUNT', count)) as [string, string[]][];
    return toEntries(entries).map((entry) => entry.alert);
  }
}

function toEntries(entries: [string, string[]][]): OutboxEntry[] {
  return entries.map(([entryId, fields]) => ({
    entryId,
    alert: parseEncodedAlert(fields[fields.indexOf('alert') + 1]),
  }));
}

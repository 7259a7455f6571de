import type { Redis } from 'ioredis';
import { RedisKeys, STOCK_INDEX_SEPARATOR, StockAlert, StockRow, StreamPosition } from '@stockwall/contracts';
import { AggregationSettings, DEFAULT_AGGREGATION_SETTINGS } from '../core/aggregation-settings';
import { parseEncodedAlerts } from './alert-codec';
import {
  ApplyAnswer,
  ApplyBatchInput,
  ApplyCheck,
  ApplyOutcome,
  decodeApplyCheck,
  decodeApplyOutcome,
  encodeApplyArguments,
} from './apply-batch.codec';
import { APPLY_BATCH_SCRIPT } from './apply-batch.script';
import { READ_SNAPSHOT_SCRIPT } from './read-snapshot.script';
import {
  parseChangeNoticeEntry,
  SNAPSHOT_ROW_FIELDS,
  snapshotRows,
  stockRowOfMember,
  stockRowOfNotice,
} from './stock-hash';

export interface StockListQuery {
  location?: string;
  belowReorderPoint?: boolean;
  search?: string;
  limit: number;
  cursor?: string;
}

export interface StockPage {
  rows: StockRow[];
  nextCursor: string | null;
}

export interface LiveSnapshot {
  version: number;
  watermark: number | null;
  rows: StockRow[];
}

export interface ChangeNotice {
  id: string;
  version: number;
  watermark: number | null;
  rows: StockRow[];
  /** Alerts the batch raised (pushed on the `alerts` channel). */
  alerts: StockAlert[];
}

export interface LiveStateOptions {
  /** Index entries one `listStock` call scans at most (a sparse filter then pages on from there). */
  stockListScanBudget?: number;
}

const DEFAULT_STOCK_LIST_SCAN_BUDGET = 50_000;

type ReadSnapshotCommand = (
  numberOfKeys: number,
  ...keysAndArgs: string[]
) => Promise<[string | null, string | null, string[], (string | null)[]]>;

type ApplyBatchCommand = (numberOfKeys: number, ...keysAndArgs: string[]) => Promise<ApplyAnswer>;

/**
 * Live state in Redis: the one writer (the atomic batch apply) and the readers used by the API.
 * All I/O against the live keys goes through here.
 */
export class LiveStateRepository {
  private readonly keys: RedisKeys;
  private readonly stockListScanBudget: number;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly settings: AggregationSettings = DEFAULT_AGGREGATION_SETTINGS,
    options: LiveStateOptions = {},
  ) {
    this.keys = new RedisKeys(prefix);
    this.stockListScanBudget = Math.max(1, options.stockListScanBudget ?? DEFAULT_STOCK_LIST_SCAN_BUDGET);
    if (!(redis as unknown as { stockwallApplyBatch?: unknown }).stockwallApplyBatch) {
      redis.defineCommand('stockwallApplyBatch', { lua: APPLY_BATCH_SCRIPT });
      redis.defineCommand('stockwallReadSnapshot', { lua: READ_SNAPSHOT_SCRIPT });
    }
  }

  get redisKeys(): RedisKeys {
    return this.keys;
  }

  async applyBatch(input: ApplyBatchInput): Promise<ApplyOutcome> {
    return decodeApplyOutcome(await this.callApply(input, false));
  }

  /**
   * Runs the apply's checks and computations without writing anything: whether the batch would
   * apply now. Fencing and position answers count as valid here; only the bounds can refuse.
   */
  async checkBatch(input: ApplyBatchInput): Promise<ApplyCheck> {
    return decodeApplyCheck(await this.callApply(input, true));
  }

  private async callApply(input: ApplyBatchInput, dryRun: boolean): Promise<ApplyAnswer> {
    const command = (this.redis as unknown as { stockwallApplyBatch: ApplyBatchCommand }).stockwallApplyBatch.bind(
      this.redis,
    );
    const { keys, argv } = encodeApplyArguments(this.keys, this.settings, input, { dryRun, now: Date.now() });
    return command(keys.length, ...keys, ...argv);
  }

  async readCheckpoint(
    streamName: string,
    shardId: string,
  ): Promise<{ position: StreamPosition | null; ended: boolean }> {
    const [sequenceNumber, subSequence, ended] = await this.redis.hmget(
      this.keys.checkpoint(streamName, shardId),
      'seq',
      'sub',
      'end',
    );
    return {
      position: sequenceNumber ? { sequenceNumber, subSequence: Number(subSequence ?? 0) } : null,
      ended: ended === '1',
    };
  }

  async findStock(sku: string): Promise<StockRow[]> {
    const members = await this.redis.zrangebylex(
      this.keys.stockIndex(),
      `[${sku}${STOCK_INDEX_SEPARATOR}`,
      `(${sku}${String.fromCharCode(STOCK_INDEX_SEPARATOR.charCodeAt(0) + 1)}`,
    );
    return this.readRows(members);
  }

  /**
   * Pages through the SKU index in order; filters are applied while scanning. One call scans at
   * most the scan budget of index entries: when that runs out first, `nextCursor` is the last entry
   * scanned, so a page of a sparse filter may hold fewer rows than the limit, or none, and still
   * have a next page. Only a null `nextCursor` means the end.
   */
  async listStock(query: StockListQuery): Promise<StockPage> {
    const rows: StockRow[] = [];
    let position = query.cursor ?? null;
    const search = query.search?.toLowerCase();
    const scanPage = Math.max(query.limit, 200);
    for (let scanned = 0; scanned < this.stockListScanBudget;) {
      const count = Math.min(scanPage, this.stockListScanBudget - scanned);
      const start = position === null ? '-' : `(${position}`;
      const members = await this.redis.zrangebylex(this.keys.stockIndex(), start, '+', 'LIMIT', 0, count);
      const page = await this.readRowsOf(members);
      for (let index = 0; index < members.length; index++) {
        const row = page[index];
        if (!row) continue;
        if (query.location && row.location !== query.location) continue;
        if (query.belowReorderPoint && !row.belowReorderPoint) continue;
        if (search && !row.sku.toLowerCase().includes(search) && !(row.name ?? '').toLowerCase().includes(search)) {
          continue;
        }
        rows.push(row);
        if (rows.length === query.limit) {
          const more = index < members.length - 1 || members.length === count;
          return { rows, nextCursor: more ? members[index] : null };
        }
      }
      if (members.length < count) return { rows, nextCursor: null };
      scanned += members.length;
      position = members[members.length - 1];
    }
    // The budget ran out before the limit was reached: the next page goes on from here.
    return { rows, nextCursor: position };
  }

  /** Version, watermark and every row, read by one script so the snapshot matches its version exactly. */
  async readSnapshot(location?: string): Promise<LiveSnapshot> {
    const command = (
      this.redis as unknown as { stockwallReadSnapshot: ReadSnapshotCommand }
    ).stockwallReadSnapshot.bind(this.redis);
    const [version, watermark, members, fields] = await command(
      3,
      this.keys.version(),
      this.keys.watermark(),
      this.keys.stockIndex(),
      this.keys.stockPrefix(),
      location ?? '',
    );
    const rows = snapshotRows(members, fields).map(({ row }) => row);
    return { version: Number(version ?? 0), watermark: watermark ? Number(watermark) : null, rows };
  }

  /** Reads change notices after `lastId` ('$' = only new ones), blocking up to `blockMs`. */
  async readChanges(lastId: string, blockMs: number, count = 500): Promise<ChangeNotice[]> {
    const response = await this.redis.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', this.keys.changes(), lastId);
    if (!response) return [];
    return response[0][1].map(([id, fields]) => {
      const notice = parseChangeNoticeEntry(fields);
      return {
        id,
        version: notice.version,
        watermark: notice.watermark,
        alerts: parseEncodedAlerts(notice.encodedAlerts),
        rows: notice.rows.map(stockRowOfNotice),
      };
    });
  }

  async readVersion(): Promise<number> {
    return Number((await this.redis.get(this.keys.version())) ?? 0);
  }

  private async readRows(members: string[]): Promise<StockRow[]> {
    return (await this.readRowsOf(members)).filter((row): row is StockRow => row !== null);
  }

  /** The row of each index member, in order; null where its hash is gone. */
  private async readRowsOf(members: string[]): Promise<(StockRow | null)[]> {
    if (members.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const member of members) {
      pipeline.hmget(this.stockKeyOf(member), ...SNAPSHOT_ROW_FIELDS);
    }
    const results = (await pipeline.exec()) ?? [];
    return members.map((member, index) => {
      const [error, fields] = results[index] ?? [];
      if (error) throw error;
      return stockRowOfMember(member, fields as (string | null)[]);
    });
  }

  private stockKeyOf(member: string): string {
    const [sku, location] = member.split(STOCK_INDEX_SEPARATOR);
    return this.keys.stock(location, sku);
  }
}

import type { Redis } from 'ioredis';
import {
  DeadLetter,
  DroppedEvent,
  RedisKeys,
  STOCK_INDEX_SEPARATOR,
  StockAlert,
  StockRow,
  StreamPosition,
  WriteOutcome,
} from '@stockwall/contracts';
import { AggregationSettings, DEFAULT_AGGREGATION_SETTINGS } from '../core/aggregation-settings';
import type { SalesCell, StockChange } from '../core/stock-fold';
import { bucketRetentionMs } from '../core/window-buckets';
import { StockOp, toStockRow } from '../core/stock-state';
import { parseEncodedAlerts } from './alert-codec';
import type { ReceiptTarget } from './apply-receipt.repository';
import { APPLY_BATCH_SCRIPT, READ_SNAPSHOT_SCRIPT } from './apply-batch.script';
import {
  COMPUTED_REORDER_POINT_FIELD,
  parseComputedReorderPoint,
  parseNoticeRow,
  parseStockFields,
  STOCK_HASH_FIELDS,
  StockNoticeRow,
} from './stock-hash';

export interface ApplyBatchInput {
  streamName: string;
  shardId: string;
  lease: { owner: string; epoch: number };
  after: StreamPosition | null;
  last: StreamPosition | null;
  shardEnd: boolean;
  changes: StockChange[];
  maxEventTime: number | null;
  deadLetters: DeadLetter[];
  /** Window cells of the batch (foldStock's `sales`); absent: the batch changes no window. */
  sales?: SalesCell[];
  /** Producer-retry dedupe: ids already applied within the window are refused (see the script). */
  dedupe?: { eventIds: string[]; windowMs: number };
  /** Where the apply leaves its receipt for the batch's persist job (ApplyReceiptRepository.target); absent: none. */
  receipt?: ReceiptTarget;
  /** Events of the persist job this apply leaves out, recorded in the receipt. */
  dropped?: DroppedEvent[];
  /** The outcomes of the API writes in this batch, recorded by the apply itself (see the script). */
  writeOutcomes?: WriteOutcome[];
}

export type ApplyOutcome =
  | { status: 'applied'; version: number }
  | { status: 'duplicate' }
  | { status: 'fenced' }
  | { status: 'out_of_order'; checkpoint: StreamPosition | null }
  /** Nothing applied: these event ids were applied before within the dedupe window. */
  | { status: 'seen'; eventIds: string[] }
  /** Nothing applied: the batch would break a bound of the live state (the reason says which). */
  | { status: 'refused'; reason: string };

/** A dry run's answer: whether the batch would apply, and if not why. */
export type ApplyCheck = { valid: true } | { valid: false; reason: string };

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
const CHANGE_STREAM_MAX_LENGTH = 10_000;
/** Write outcomes kept in the stream: API nodes read it as it grows, a reconnecting one from `$`. */
const WRITE_OUTCOME_STREAM_MAX_LENGTH = 10_000;
/** How long `GET /writes/:eventId` can tell a write's outcome. */
const WRITE_STATUS_TTL_MS = 86_400_000;
// The alert outbox must outlast a relay outage; entries are small.
const ALERT_STREAM_MAX_LENGTH = 100_000;

type ReadSnapshotCommand = (
  numberOfKeys: number,
  ...keysAndArgs: string[]
) => Promise<[string | null, string | null, string[], (string | null)[]]>;

type ApplyBatchCommand = (numberOfKeys: number, ...keysAndArgs: string[]) => Promise<[string, ...string[]]>;

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
    const result = await this.callApply(input, false);
    switch (result[0]) {
      case 'applied':
        return { status: 'applied', version: Number(result[1]) };
      case 'duplicate':
        return { status: 'duplicate' };
      case 'fenced':
        return { status: 'fenced' };
      case 'seen':
        return { status: 'seen', eventIds: JSON.parse(result[1] ?? '[]') as string[] };
      case 'refused':
        return { status: 'refused', reason: result[1] ?? 'refused' };
      case 'out_of_order':
        return {
          status: 'out_of_order',
          checkpoint: result[1] ? { sequenceNumber: result[1], subSequence: Number(result[2]) } : null,
        };
      default:
        throw new Error(`Unexpected apply result ${result[0]}`);
    }
  }

  /**
   * Runs the apply's checks and computations without writing anything: whether the batch would
   * apply now. Fencing and position answers count as valid here; only the bounds can refuse.
   */
  async checkBatch(input: ApplyBatchInput): Promise<ApplyCheck> {
    const result = await this.callApply(input, true);
    return result[0] === 'refused' ? { valid: false, reason: result[1] ?? 'refused' } : { valid: true };
  }

  private async callApply(input: ApplyBatchInput, dryRun: boolean): Promise<[string, ...string[]]> {
    const command = (this.redis as unknown as { stockwallApplyBatch: ApplyBatchCommand }).stockwallApplyBatch.bind(
      this.redis,
    );
    const after = input.after;
    const last = input.last ?? after;
    return command(
      7,
      this.keys.checkpoint(input.streamName, input.shardId),
      this.keys.lease(input.streamName, input.shardId),
      this.keys.version(),
      this.keys.watermark(),
      this.keys.changes(),
      this.keys.stockIndex(),
      this.keys.deadLetters(),
      input.lease.owner,
      String(input.lease.epoch),
      after?.sequenceNumber ?? '',
      String(after?.subSequence ?? 0),
      last?.sequenceNumber ?? '',
      String(last?.subSequence ?? 0),
      this.keys.stockPrefix(),
      encodeChanges(input.changes),
      input.maxEventTime === null ? '' : String(input.maxEventTime),
      String(Date.now()),
      input.shardEnd ? '1' : '0',
      JSON.stringify(
        input.deadLetters.map((letter) => [
          letter.shardId,
          letter.position.sequenceNumber,
          String(letter.position.subSequence),
          letter.reason,
          letter.detail,
          letter.rawBase64,
          String(letter.rawBytes),
        ]),
      ),
      String(CHANGE_STREAM_MAX_LENGTH),
      this.keys.dedupePrefix(),
      String(input.dedupe?.windowMs ?? 0),
      JSON.stringify(input.dedupe?.eventIds ?? []),
      // Keep last: the aggregation section reads its parameters from the final argument.
      this.encodeAggregation(input, dryRun),
    );
  }

  private encodeAggregation(input: ApplyBatchInput, dryRun: boolean): string {
    const last = input.last ?? input.after;
    return JSON.stringify({
      dryRun,
      receipt: input.receipt?.key ?? '',
      chain: input.receipt?.chainKey ?? '',
      chainField: input.receipt?.chainField ?? '',
      chainJob: input.receipt?.jobId ?? '',
      // A JSON text inside the JSON: the script copies it into the receipt as it is.
      dropped: JSON.stringify(input.dropped ?? []),
      kpiPrefix: this.keys.kpiBucketPrefix(),
      kpiIndex: this.keys.kpiBucketIndex(),
      totals: this.keys.stockTotals(),
      alerts: this.keys.alerts(),
      leadTimes: this.keys.supplierLeadTimes(),
      alertsMaxLength: ALERT_STREAM_MAX_LENGTH,
      latenessMs: this.settings.allowedLatenessMs,
      retentionMs: bucketRetentionMs(this.settings.allowedLatenessMs),
      decayMs: this.settings.sellRateDecayMs,
      z: this.settings.safetyStockZ,
      leadTimeDays: this.settings.defaultLeadTimeDays ?? -1,
      minHistoryDays: this.settings.minHistoryDays,
      // Alert ids name the batch that raised them: a re-applied batch is a duplicate and raises nothing.
      batch: `${input.streamName}|${input.shardId}|${last?.sequenceNumber ?? ''}.${last?.subSequence ?? 0}`,
      sales: encodeSales(input.sales ?? []),
      // A JSON text inside the JSON, like `dropped`: the script stores it as it is.
      writes: JSON.stringify(input.writeOutcomes ?? []),
      writeStream: this.keys.writeOutcomes(),
      writeStreamMaxLength: WRITE_OUTCOME_STREAM_MAX_LENGTH,
      writeStatusPrefix: this.keys.writeStatusPrefix(),
      writeStatusTtlMs: WRITE_STATUS_TTL_MS,
    });
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
    const width = STOCK_HASH_FIELDS.length + 1; // the stock fields, then the computed reorder point
    const rows = members.flatMap((member, index) => {
      const values = fields.slice(index * width, (index + 1) * width);
      const state = parseStockFields(values);
      const [sku, memberLocation] = member.split(STOCK_INDEX_SEPARATOR);
      return state ? [toStockRow(sku, memberLocation, state, parseComputedReorderPoint(values[width - 1]))] : [];
    });
    return { version: Number(version ?? 0), watermark: watermark ? Number(watermark) : null, rows };
  }

  /** Reads change notices after `lastId` ('$' = only new ones), blocking up to `blockMs`. */
  async readChanges(lastId: string, blockMs: number, count = 500): Promise<ChangeNotice[]> {
    const response = await this.redis.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', this.keys.changes(), lastId);
    if (!response) return [];
    const notices = response[0][1].map(([id, fields]) => {
      const values = new Map<string, string>();
      for (let index = 0; index < fields.length; index += 2) values.set(fields[index], fields[index + 1]);
      const noticeRows = JSON.parse(values.get('rows') ?? '[]') as StockNoticeRow[];
      return { id, values, parsed: noticeRows.flatMap((noticeRow) => parseNoticeRow(noticeRow) ?? []) };
    });
    return notices.map(({ id, values, parsed }) => ({
      id,
      version: Number(values.get('v')),
      watermark: Number(values.get('w')) || null,
      alerts: parseEncodedAlerts(values.get('alerts')),
      rows: parsed.map((row) => toStockRow(row.sku, row.location, row.state, row.computedReorderPoint)),
    }));
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
      pipeline.hmget(this.stockKeyOf(member), ...STOCK_HASH_FIELDS, COMPUTED_REORDER_POINT_FIELD);
    }
    const results = (await pipeline.exec()) ?? [];
    return members.map((member, index) => {
      const [error, fields] = results[index] ?? [];
      if (error) throw error;
      const values = fields as (string | null)[];
      const state = parseStockFields(values);
      const [sku, location] = member.split(STOCK_INDEX_SEPARATOR);
      return state
        ? toStockRow(sku, location, state, parseComputedReorderPoint(values[STOCK_HASH_FIELDS.length]))
        : null;
    });
  }

  private stockKeyOf(member: string): string {
    const [sku, location] = member.split(STOCK_INDEX_SEPARATOR);
    return this.keys.stock(location, sku);
  }
}

/** Compact wire form of the ops for the Lua apply (see apply-batch.script.ts). */
export function encodeChanges(changes: readonly StockChange[]): string {
  if (changes.length === 0) return '[]';
  return JSON.stringify(
    changes.map((change) => [
      change.sku,
      change.location,
      change.lastEventAt,
      change.ops.map(encodeOp),
      Object.entries(change.demand ?? {})
        .map(([minute, units]) => [Number(minute), units])
        .sort((left, right) => left[0] - right[0]),
    ]),
  );
}

/** Compact wire form of the window cells: [source, minute, orders, revenue, units, events, [[sku, units, revenue]]]. */
export function encodeSales(cells: readonly SalesCell[]): unknown[] {
  return cells.map((cell) => [
    cell.source,
    cell.minute,
    cell.orders,
    cell.revenueCents,
    cell.units,
    cell.events,
    [...cell.skus].map(([sku, totals]) => [sku, totals.units, totals.revenueCents]),
  ]);
}

function encodeOp(op: StockOp): unknown[] {
  switch (op.kind) {
    case 'add': {
      if (!op.flows) return ['a', op.onHand, op.committed];
      const flows = Object.entries(op.flows).map(([cell, flow]) => {
        const [minute, source] = cell.split('\t');
        return [Number(minute), source, flow.shipped, flow.unpricedReversed];
      });
      return ['a', op.onHand, op.committed, flows];
    }
    case 'set':
      return ['s', op.onHand];
    case 'restock':
      return ['r', op.quantity, op.unitCostCents, op.supplierId ?? null];
    case 'define':
      return ['d', op.name, op.onHand, op.unitPriceCents, op.unitCostCents, op.reorderPoint];
    case 'discontinue':
      return ['x'];
    case 'reorder':
      return ['p', op.reorderPoint];
    case 'catalog':
      return ['c', op.name, op.unitPriceCents, op.unitCostCents];
  }
}

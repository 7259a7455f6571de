import type { DeadLetter, DroppedEvent, RedisKeys, StreamPosition, WriteOutcome } from '@stockwall/contracts';
import type { AggregationSettings } from '../core/aggregation-settings';
import type { SalesCell, StockChange } from '../core/stock-fold';
import type { StockOp } from '../core/stock-state';
import { bucketRetentionMs } from '../core/window-buckets';
import type { ReceiptTarget } from './apply-receipt.repository';

/**
 * The typed side of the atomic apply (apply-batch.script.ts): what a batch carries, how it is
 * encoded into the script's KEYS and ARGV, and how the script's answers read back.
 */
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

/** The script's answer: a status, then its values. */
export type ApplyAnswer = [string, ...string[]];

export const CHANGE_STREAM_MAX_LENGTH = 10_000;
/** Write outcomes kept in the stream: API nodes read it as it grows, a reconnecting one from `$`. */
const WRITE_OUTCOME_STREAM_MAX_LENGTH = 10_000;
/** How long `GET /writes/:eventId` can tell a write's outcome. */
const WRITE_STATUS_TTL_MS = 86_400_000;
// The alert outbox must outlast a relay outage; entries are small.
const ALERT_STREAM_MAX_LENGTH = 100_000;

/** The script's KEYS and ARGV for one batch, in the order the script reads them. */
export function encodeApplyArguments(
  keys: RedisKeys,
  settings: AggregationSettings,
  input: ApplyBatchInput,
  options: { dryRun: boolean; now: number },
): { keys: string[]; argv: string[] } {
  const after = input.after;
  const last = input.last ?? after;
  return {
    keys: [
      keys.checkpoint(input.streamName, input.shardId),
      keys.lease(input.streamName, input.shardId),
      keys.version(),
      keys.watermark(),
      keys.changes(),
      keys.stockIndex(),
      keys.deadLetters(),
    ],
    argv: [
      input.lease.owner,
      String(input.lease.epoch),
      after?.sequenceNumber ?? '',
      String(after?.subSequence ?? 0),
      last?.sequenceNumber ?? '',
      String(last?.subSequence ?? 0),
      keys.stockPrefix(),
      encodeChanges(input.changes),
      input.maxEventTime === null ? '' : String(input.maxEventTime),
      String(options.now),
      input.shardEnd ? '1' : '0',
      encodeDeadLetters(input.deadLetters),
      String(CHANGE_STREAM_MAX_LENGTH),
      keys.dedupePrefix(),
      String(input.dedupe?.windowMs ?? 0),
      JSON.stringify(input.dedupe?.eventIds ?? []),
      // Keep last: the aggregation section reads its parameters from the final argument.
      encodeAggregation(keys, settings, input, options.dryRun),
    ],
  };
}

/** The aggregation parameters: one JSON object in the script's last argument, so the arguments before it can grow. */
export function encodeAggregation(
  keys: RedisKeys,
  settings: AggregationSettings,
  input: ApplyBatchInput,
  dryRun: boolean,
): string {
  const last = input.last ?? input.after;
  return JSON.stringify({
    dryRun,
    receipt: input.receipt?.key ?? '',
    chain: input.receipt?.chainKey ?? '',
    chainField: input.receipt?.chainField ?? '',
    chainJob: input.receipt?.jobId ?? '',
    // A JSON text inside the JSON: the script copies it into the receipt as it is.
    dropped: JSON.stringify(input.dropped ?? []),
    kpiPrefix: keys.kpiBucketPrefix(),
    kpiIndex: keys.kpiBucketIndex(),
    totals: keys.stockTotals(),
    alerts: keys.alerts(),
    leadTimes: keys.supplierLeadTimes(),
    alertsMaxLength: ALERT_STREAM_MAX_LENGTH,
    latenessMs: settings.allowedLatenessMs,
    retentionMs: bucketRetentionMs(settings.allowedLatenessMs),
    decayMs: settings.sellRateDecayMs,
    z: settings.safetyStockZ,
    leadTimeDays: settings.defaultLeadTimeDays ?? -1,
    minHistoryDays: settings.minHistoryDays,
    // Alert ids name the batch that raised them: a re-applied batch is a duplicate and raises nothing.
    batch: `${input.streamName}|${input.shardId}|${last?.sequenceNumber ?? ''}.${last?.subSequence ?? 0}`,
    sales: encodeSales(input.sales ?? []),
    // A JSON text inside the JSON, like `dropped`: the script stores it as it is.
    writes: JSON.stringify(input.writeOutcomes ?? []),
    writeStream: keys.writeOutcomes(),
    writeStreamMaxLength: WRITE_OUTCOME_STREAM_MAX_LENGTH,
    writeStatusPrefix: keys.writeStatusPrefix(),
    writeStatusTtlMs: WRITE_STATUS_TTL_MS,
  });
}

export function decodeApplyOutcome(answer: ApplyAnswer): ApplyOutcome {
  switch (answer[0]) {
    case 'applied':
      return { status: 'applied', version: Number(answer[1]) };
    case 'duplicate':
      return { status: 'duplicate' };
    case 'fenced':
      return { status: 'fenced' };
    case 'seen':
      return { status: 'seen', eventIds: JSON.parse(answer[1] ?? '[]') as string[] };
    case 'refused':
      return { status: 'refused', reason: answer[1] ?? 'refused' };
    case 'out_of_order':
      return {
        status: 'out_of_order',
        checkpoint: answer[1] ? { sequenceNumber: answer[1], subSequence: Number(answer[2]) } : null,
      };
    default:
      throw new Error(`Unexpected apply result ${answer[0]}`);
  }
}

/** A dry run's answer: fencing and position answers count as valid; only the bounds refuse. */
export function decodeApplyCheck(answer: ApplyAnswer): ApplyCheck {
  return answer[0] === 'refused' ? { valid: false, reason: answer[1] ?? 'refused' } : { valid: true };
}

/** Compact wire form of the ops for the Lua apply: [sku, location, last event at, ops, [[minute, units]]]. */
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

/** [shard, seq, sub, reason, detail, raw base64, raw bytes] per dead letter. */
function encodeDeadLetters(deadLetters: readonly DeadLetter[]): string {
  return JSON.stringify(
    deadLetters.map((letter) => [
      letter.shardId,
      letter.position.sequenceNumber,
      String(letter.position.subSequence),
      letter.reason,
      letter.detail,
      letter.rawBase64,
      String(letter.rawBytes),
    ]),
  );
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

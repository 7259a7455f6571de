import { ALL_SOURCES, MINUTE_MS, QUARTER_MS } from '@stockwall/contracts';
import { computedReorderPoint, DemandState, EMPTY_DEMAND, recordDemand } from './forecast';
import type { AggregationSettings } from './aggregation-settings';
import type { StockState } from './stock-state';
import { bucketRetentionMs, bucketStart } from './window-buckets';

/**
 * Planning of a live-state rebuild from what MySQL keeps (`rebuild-live`): the stock hashes with
 * their forecast and alert fields, the stock totals, the window buckets, the watermark, the version
 * and the shard checkpoints, computed with the same rules as the atomic apply
 * (apply-batch.script.ts). Pure: the readers and the writer are around it.
 */

/** One `stock_levels` row. */
export interface RebuildStockRow extends StockState {
  sku: string;
  location: string;
}

/** What the stored event lines tell about one SKU at one location. */
export interface RebuildSkuHistory {
  /** Units shipped (`order_fulfilled`) per minute start, in time order. */
  demand: readonly (readonly [minute: number, units: number])[];
  /** Lead time on record for the supplier of the SKU's latest restock naming one that has it. */
  supplierLeadTimeDays: number | null;
  /** Event time of the first line of the current stockout (after the last line with stock), when known. */
  outOfStockSince: number | null;
}

export const NO_HISTORY: Readonly<RebuildSkuHistory> = Object.freeze({
  demand: [],
  supplierLeadTimeDays: null,
  outOfStockSince: null,
});

/** What one SKU adds to the stock totals (per location and overall), as the apply counts it. */
export interface StockContribution {
  units: number;
  valueCents: number;
  below: boolean;
  out: boolean;
  active: boolean;
}

export interface PlannedStockHash {
  /** Field → value, exactly as the apply writes them. */
  fields: Record<string, string>;
  contribution: StockContribution;
}

function int(value: number): string {
  return Math.trunc(value).toFixed(0);
}

/** The demand state of a SKU replayed from its shipped units in time order (forecast.ts). */
export function replayDemand(demand: RebuildSkuHistory['demand'], decayMs: number): DemandState {
  let state: DemandState = { ...EMPTY_DEMAND };
  for (const [minute, units] of demand) state = recordDemand(state, minute, units, decayMs);
  return state;
}

/**
 * A stock hash and its totals contribution. Alert state follows the SKU's state: low stock counts as
 * raised when available is at or below the reorder point in force, out of stock since the start of
 * the current stockout, so no alert the apply already raised is raised again.
 */
export function planStockHash(
  row: RebuildStockRow,
  history: RebuildSkuHistory,
  settings: AggregationSettings,
): PlannedStockHash {
  const fields: Record<string, string> = {
    on: int(row.onHand),
    cm: int(row.committed),
    uc: row.unitCostCents === null ? '' : int(row.unitCostCents),
    up: row.unitPriceCents === null ? '' : int(row.unitPriceCents),
    rp: row.reorderPoint === null ? '' : int(row.reorderPoint),
    ac: row.active ? '1' : '0',
    nm: row.name ?? '',
    le: int(row.lastEventAt ?? 0),
  };
  const demand = replayDemand(history.demand, settings.sellRateDecayMs);
  if (history.demand.length > 0) {
    fields.sr = String(demand.rate);
    fields.st = int(demand.rateAt ?? 0);
    fields.dd = int(demand.day ?? 0);
    fields.dq = int(demand.dayUnits);
    fields.dn = int(demand.days);
    fields.ds = int(demand.sum);
    fields.d2 = int(demand.sumOfSquares);
  }
  if (history.supplierLeadTimeDays !== null) fields.lt = String(history.supplierLeadTimeDays);
  const computed = computedReorderPoint(demand, history.supplierLeadTimeDays ?? settings.defaultLeadTimeDays, {
    safetyZ: settings.safetyStockZ,
    minHistoryDays: settings.minHistoryDays,
  });
  if (computed !== null) fields.rc = int(computed);

  const point = row.reorderPoint ?? computed;
  const available = row.onHand - row.committed;
  const below = row.active && point !== null && available <= point;
  const out = row.active && available <= 0;
  fields.la = below ? '1' : '0';
  fields.os = out ? int(history.outOfStockSince ?? row.lastEventAt ?? 0) : '';
  return {
    fields,
    contribution: {
      units: row.onHand,
      valueCents: Math.max(row.onHand, 0) * (row.unitCostCents ?? 0),
      below,
      out,
      active: row.active,
    },
  };
}

/** Stock totals hash fields (`<location>:<field>` and `*:<field>`), summed as the apply keeps them. */
export class StockTotalsPlan {
  private readonly sums = new Map<string, number>();

  add(location: string, contribution: StockContribution): void {
    for (const scope of [location, ALL_SOURCES]) {
      this.increment(`${scope}:units`, contribution.units);
      this.increment(`${scope}:val`, contribution.valueCents);
      if (contribution.below) this.increment(`${scope}:below`, 1);
      if (contribution.out) this.increment(`${scope}:out`, 1);
      if (contribution.active) this.increment(`${scope}:act`, 1);
    }
  }

  /** Non-zero fields only, as the apply writes no field it never changed. */
  fields(): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const [field, value] of this.sums) if (value !== 0) fields[field] = int(value);
    return fields;
  }

  private increment(field: string, delta: number): void {
    this.sums.set(field, (this.sums.get(field) ?? 0) + delta);
  }
}

/** One `kpi_minute` row (one minute, source and location). */
export interface MinuteRollup {
  minute: number;
  source: string;
  orders: number;
  revenueCents: number;
  units: number;
  cogsCents: number;
  events: number;
}

/** Net units and revenue of one SKU in one minute and source, from the stored lines. */
export interface SkuMinuteSales {
  minute: number;
  source: string;
  sku: string;
  units: number;
  revenueCents: number;
}

export interface PlannedBucket {
  bucketMs: number;
  source: string;
  start: number;
  orders: number;
  revenueCents: number;
  units: number;
  cogsCents: number;
  events: number;
  /** Top-SKU rankings: SKU → net units and net revenue (non-zero entries only). */
  skuUnits: Map<string, number>;
  skuRevenue: Map<string, number>;
}

/** First minute a rebuilt window bucket may start at: the apply drops buckets before it. */
export function windowRebuildFrom(watermark: number, allowedLatenessMs: number): number {
  return watermark - bucketRetentionMs(allowedLatenessMs);
}

/**
 * The minute and quarter-hour buckets (per source and all sources) the apply keeps for the rows
 * from `windowRebuildFrom` on. Every event counts as on time: which ones came late is not stored,
 * and their sums land in the same fields the late sums are compared with (reconcile adds both).
 */
export function planWindowBuckets(
  rollups: readonly MinuteRollup[],
  sales: readonly SkuMinuteSales[],
  watermark: number,
  allowedLatenessMs: number,
): PlannedBucket[] {
  const from = windowRebuildFrom(watermark, allowedLatenessMs);
  const buckets = new Map<string, PlannedBucket>();
  const bucketsOf = (minute: number, source: string): PlannedBucket[] => {
    const found: PlannedBucket[] = [];
    for (const bucketMs of [MINUTE_MS, QUARTER_MS]) {
      const start = bucketStart(minute, bucketMs);
      if (start < from) continue;
      for (const scope of source === ALL_SOURCES ? [source] : [source, ALL_SOURCES]) {
        const key = `${bucketMs}:${scope}:${start}`;
        let bucket = buckets.get(key);
        if (!bucket) {
          bucket = {
            bucketMs,
            source: scope,
            start,
            orders: 0,
            revenueCents: 0,
            units: 0,
            cogsCents: 0,
            events: 0,
            skuUnits: new Map(),
            skuRevenue: new Map(),
          };
          buckets.set(key, bucket);
        }
        found.push(bucket);
      }
    }
    return found;
  };
  for (const rollup of rollups) {
    for (const bucket of bucketsOf(rollup.minute, rollup.source)) {
      bucket.orders += rollup.orders;
      bucket.revenueCents += rollup.revenueCents;
      bucket.units += rollup.units;
      bucket.cogsCents += rollup.cogsCents;
      bucket.events += rollup.events;
    }
  }
  for (const sale of sales) {
    for (const bucket of bucketsOf(sale.minute, sale.source)) {
      bucket.skuUnits.set(sale.sku, (bucket.skuUnits.get(sale.sku) ?? 0) + sale.units);
      bucket.skuRevenue.set(sale.sku, (bucket.skuRevenue.get(sale.sku) ?? 0) + sale.revenueCents);
    }
  }
  const planned = [...buckets.values()];
  for (const bucket of planned) {
    for (const ranking of [bucket.skuUnits, bucket.skuRevenue]) {
      for (const [sku, value] of ranking) if (value === 0) ranking.delete(sku);
    }
  }
  return planned.filter(
    (bucket) =>
      bucket.events !== 0 ||
      bucket.orders !== 0 ||
      bucket.revenueCents !== 0 ||
      bucket.units !== 0 ||
      bucket.cogsCents !== 0 ||
      bucket.skuUnits.size > 0 ||
      bucket.skuRevenue.size > 0,
  );
}

/** The watermark: the latest event time stored, never ahead of the wall clock; null before any event. */
export function rebuildWatermark(latestEventAt: number | null, now: number): number | null {
  return latestEventAt === null ? null : Math.min(latestEventAt, now);
}

/**
 * The version to restart from: above every version already handed out that is still known (the
 * old key if Redis kept it, the versions MySQL recorded per batch), so versions never go back and
 * every connected client sees a gap and takes a fresh snapshot.
 */
export function rebuildVersion(known: readonly (number | null)[]): number {
  return Math.max(0, ...known.filter((value): value is number => value !== null && Number.isFinite(value))) + 1;
}

/** One `shard_positions` row. */
export interface PersistedPosition {
  shardId: string;
  sequenceNumber: string | null;
  subSequence: number;
}

/**
 * Checkpoint hash fields per shard: MySQL's persisted position, so workers read on after it and
 * every later record reaches both stores. A shard without a persisted position gets none (read from
 * the start). MySQL does not record shard ends: a closed shard is read once more from its position
 * to its end, which marks it ended again.
 */
export function planCheckpoints(positions: readonly PersistedPosition[]): Map<string, Record<string, string>> {
  const checkpoints = new Map<string, Record<string, string>>();
  for (const position of positions) {
    if (!position.sequenceNumber) continue;
    checkpoints.set(position.shardId, { seq: position.sequenceNumber, sub: String(position.subSequence) });
  }
  return checkpoints;
}

/**
 * The supplier lead time of each SKU: restocks in apply order, each naming a supplier; the latest
 * one whose supplier has a lead time on record wins (the apply keeps the old one when it has none).
 */
export function supplierLeadTimesOf(
  restocks: readonly { sku: string; location: string; supplierId: string }[],
  leadTimes: ReadonlyMap<string, number>,
): Map<string, number> {
  const bySku = new Map<string, number>();
  for (const restock of restocks) {
    const days = leadTimes.get(restock.supplierId);
    if (days !== undefined) bySku.set(stockKeyOf(restock.sku, restock.location), days);
  }
  return bySku;
}

/** Map key of a SKU at a location. */
export function stockKeyOf(sku: string, location: string): string {
  return `${location}\u0000${sku}`;
}

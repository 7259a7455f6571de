import { movingAverageCost } from '@stockwall/aggregation';

import { bucketIndex, type CalendarBucket } from '@stockwall/contracts';

/** The stock of one SKU at one location from `at` on (until its next change). */
export interface StockStep {
  sku: string;
  location: string;
  at: number;
  onHand: number;
  committed: number;
}

/** A change of a SKU's catalog state: its definition, a restock (new moving-average cost) or its discontinuation. */
export type CatalogChange =
  | { kind: 'defined'; at: number; unitCostCents: number | null }
  | { kind: 'restocked'; at: number; onHandAfter: number; quantity: number; unitCostCents: number }
  | { kind: 'discontinued'; at: number };

/** Time integrals of one bucket's stock: money in cent-milliseconds (BigInt), SKU-milliseconds otherwise. */
export interface StockIntegrals {
  /** ∫ Σ max(on hand, 0) × unit cost dt. */
  valueCentMs: bigint;
  /** ∫ (active SKUs with available ≤ 0) dt. */
  outOfStockSkuMs: number;
  /** ∫ (active SKUs) dt. */
  activeSkuMs: number;
  /** The part of the bucket the integrals cover (up to the horizon). */
  coveredMs: number;
}

export interface CatalogState {
  unitCostCents: number | null;
  active: boolean;
}

/**
 * Folds the stock steps (each SKU's stock after each event, in event-time order) and the catalog
 * changes (cost, active) into per-bucket time integrals over [from, horizon). A SKU counts from its
 * first step; between steps its stock is the one after the previous step. Steps before `from` set
 * the opening state only. `catalog` is per `location\u0000sku`, in time order, and may start before `from`.
 */
export function integrateStock(
  steps: readonly StockStep[],
  catalog: ReadonlyMap<string, readonly CatalogChange[]>,
  buckets: readonly CalendarBucket[],
  horizon: number,
): StockIntegrals[] {
  const integrals = buckets.map((bucket): StockIntegrals => ({
    valueCentMs: 0n,
    outOfStockSkuMs: 0,
    activeSkuMs: 0,
    coveredMs: Math.max(0, Math.min(bucket.end, horizon) - bucket.start),
  }));
  if (buckets.length === 0) return integrals;
  const from = buckets[0].start;
  const end = Math.min(buckets[buckets.length - 1].end, horizon);
  const bySku = new Map<string, StockStep[]>();
  for (const step of steps) {
    const key = `${step.location}\u0000${step.sku}`;
    const list = bySku.get(key);
    if (list) list.push(step);
    else bySku.set(key, [step]);
  }
  for (const [key, skuSteps] of bySku) {
    const changes = catalog.get(key) ?? [];
    let changeIndex = 0;
    const state: CatalogState = { unitCostCents: null, active: true };
    const catalogAt = (time: number) => {
      while (changeIndex < changes.length && changes[changeIndex].at <= time) {
        applyCatalogChange(state, changes[changeIndex]);
        changeIndex++;
      }
    };
    for (let index = 0; index < skuSteps.length; index++) {
      const step = skuSteps[index];
      const next = index + 1 < skuSteps.length ? skuSteps[index + 1].at : end;
      catalogAt(step.at);
      // Catalog changes between two stock steps (none in practice: each has its own step) split the segment.
      let segmentStart = Math.max(step.at, from);
      catalogAt(segmentStart);
      while (segmentStart < Math.min(next, end)) {
        const pending = changes[changeIndex];
        const segmentEnd = Math.min(next, end, pending && pending.at > segmentStart ? pending.at : Infinity);
        addSegment(integrals, buckets, segmentStart, segmentEnd, step, state);
        segmentStart = segmentEnd;
        catalogAt(segmentStart);
      }
    }
  }
  return integrals;
}

/** A SKU's unit cost and active flag once every change up to `at` (inclusive) has happened. */
export function catalogStateAt(changes: readonly CatalogChange[], at: number): CatalogState {
  const state: CatalogState = { unitCostCents: null, active: true };
  for (const change of changes) if (change.at <= at) applyCatalogChange(state, change);
  return state;
}

function applyCatalogChange(state: CatalogState, change: CatalogChange): void {
  switch (change.kind) {
    case 'defined':
      state.active = true;
      state.unitCostCents = change.unitCostCents ?? state.unitCostCents;
      break;
    case 'restocked':
      state.unitCostCents = movingAverageCost(
        change.onHandAfter - change.quantity,
        state.unitCostCents,
        change.quantity,
        change.unitCostCents,
      );
      break;
    case 'discontinued':
      state.active = false;
      break;
  }
}

function addSegment(
  integrals: StockIntegrals[],
  buckets: readonly CalendarBucket[],
  start: number,
  end: number,
  step: StockStep,
  state: CatalogState,
): void {
  const value = BigInt(Math.max(step.onHand, 0) * (state.unitCostCents ?? 0));
  const out = state.active && step.onHand - step.committed <= 0;
  for (let index = bucketIndex(buckets, start); index !== -1 && index < buckets.length; index++) {
    const bucket = buckets[index];
    if (bucket.start >= end) break;
    const duration = Math.min(end, bucket.end) - Math.max(start, bucket.start);
    if (duration <= 0) continue;
    const cell = integrals[index];
    cell.valueCentMs += value * BigInt(duration);
    if (state.active) cell.activeSkuMs += duration;
    if (out) cell.outOfStockSkuMs += duration;
  }
}

/** Stock figures of a bucket: average inventory value (cents, half up), turnover and the time-weighted stockout rate. */
export function stockFigures(integrals: StockIntegrals, cogsCents: number) {
  const averageValueCents =
    integrals.coveredMs > 0 ? divideHalfUp(integrals.valueCentMs, BigInt(integrals.coveredMs)) : null;
  return {
    averageInventoryValueCents: averageValueCents === null ? null : Number(averageValueCents),
    inventoryTurnover:
      averageValueCents !== null && averageValueCents > 0n
        ? Math.round((cogsCents / Number(averageValueCents)) * 1e6) / 1e6
        : null,
    stockoutRate:
      integrals.activeSkuMs > 0 ? Math.round((integrals.outOfStockSkuMs / integrals.activeSkuMs) * 1e6) / 1e6 : null,
  };
}

/** a / b rounded half up, for non-negative a and positive b. */
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

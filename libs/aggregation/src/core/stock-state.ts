import { formatCents, StockRow } from '@stockwall/contracts';

/** The live state of one SKU at one location. Money in integer cents, times in epoch ms. */
export interface StockState {
  onHand: number;
  committed: number;
  unitCostCents: number | null;
  unitPriceCents: number | null;
  reorderPoint: number | null;
  active: boolean;
  name: string | null;
  lastEventAt: number | null;
}

export const EMPTY_STOCK: Readonly<StockState> = Object.freeze({
  onHand: 0,
  committed: 0,
  unitCostCents: null,
  unitPriceCents: null,
  reorderPoint: null,
  active: true,
  name: null,
  lastEventAt: null,
});

/**
 * One step of a SKU's change within a batch. Consecutive `add`s merge, so a busy SKU costs a
 * single op; steps whose effect depends on the state before them (set, restock, define,
 * discontinue) are kept in order and replayed against the stored state in the atomic apply.
 */
export type StockOp =
  | { kind: 'add'; onHand: number; committed: number; flows?: StockFlows }
  | { kind: 'set'; onHand: number }
  | { kind: 'restock'; quantity: number; unitCostCents: number; supplierId?: string }
  | {
      kind: 'define';
      name: string;
      onHand: number;
      unitPriceCents: number | null;
      unitCostCents: number | null;
      reorderPoint: number | null;
    }
  | { kind: 'discontinue' }
  /** Sets only the explicit reorder point; alerts re-evaluate against it after the batch. */
  | { kind: 'reorder'; reorderPoint: number }
  /** Catalog fields the live state keeps (those given); stock figures are untouched. */
  | { kind: 'catalog'; name: string | null; unitPriceCents: number | null; unitCostCents: number | null };

/**
 * The window effects of an `add` that depend on the stored state, per window cell
 * (`<minute start>\t<source>`): units shipped net of returns (costed at the moving-average unit
 * cost when applied: COGS) and units reversed without a stated price (valued at the SKU's price).
 */
export type StockFlows = Record<string, { shipped: number; unpricedReversed: number }>;

export function applyStockOp(state: StockState, op: StockOp): StockState {
  switch (op.kind) {
    case 'add':
      return { ...state, onHand: state.onHand + op.onHand, committed: state.committed + op.committed };
    case 'set':
      return { ...state, onHand: op.onHand };
    case 'restock':
      return {
        ...state,
        onHand: state.onHand + op.quantity,
        unitCostCents: movingAverageCost(state.onHand, state.unitCostCents, op.quantity, op.unitCostCents),
      };
    case 'define':
      return {
        ...state,
        name: op.name,
        onHand: op.onHand,
        active: true,
        unitPriceCents: op.unitPriceCents ?? state.unitPriceCents,
        unitCostCents: op.unitCostCents ?? state.unitCostCents,
        reorderPoint: op.reorderPoint ?? state.reorderPoint,
      };
    case 'discontinue':
      return { ...state, onHand: 0, active: false };
    case 'reorder':
      return { ...state, reorderPoint: op.reorderPoint };
    case 'catalog':
      return {
        ...state,
        name: op.name ?? state.name,
        unitPriceCents: op.unitPriceCents ?? state.unitPriceCents,
        unitCostCents: op.unitCostCents ?? state.unitCostCents,
      };
  }
}

/**
 * Weighted average of the units on hand and the units received, rounded half up to the cent.
 * With nothing (or less than nothing) on hand, or no known cost, the new cost is the received one.
 * The Lua apply computes exactly the same expression.
 */
export function movingAverageCost(
  onHand: number,
  currentCostCents: number | null,
  quantity: number,
  unitCostCents: number,
): number {
  if (onHand <= 0 || currentCostCents === null) return unitCostCents;
  return Math.floor((onHand * currentCostCents + quantity * unitCostCents) / (onHand + quantity) + 0.5);
}

export function applyStockOps(state: StockState, ops: readonly StockOp[], lastEventAt: number | null): StockState {
  const next = ops.reduce(applyStockOp, state);
  const latest = lastEventAt === null ? next.lastEventAt : Math.max(next.lastEventAt ?? 0, lastEventAt);
  return { ...next, lastEventAt: latest };
}

/**
 * The row of a SKU at a location. `computedReorderPoint` is the one the forecast derives from
 * demand and lead time: an explicit reorder point wins over it, as in the low-stock alert and
 * the below-reorder-point total, and the row says which one is in force.
 */
export function toStockRow(
  sku: string,
  location: string,
  state: StockState,
  computedReorderPoint: number | null = null,
): StockRow {
  const available = state.onHand - state.committed;
  const stockValueCents = state.unitCostCents === null ? null : Math.max(state.onHand, 0) * state.unitCostCents;
  const reorderPoint = state.reorderPoint ?? computedReorderPoint;
  return {
    sku,
    location,
    name: state.name,
    onHand: state.onHand,
    committed: state.committed,
    available,
    unitCost: state.unitCostCents === null ? null : formatCents(state.unitCostCents),
    stockValue: stockValueCents === null ? null : formatCents(stockValueCents),
    reorderPoint,
    reorderPointSource: state.reorderPoint !== null ? 'explicit' : reorderPoint !== null ? 'computed' : null,
    belowReorderPoint: state.active && reorderPoint !== null && available <= reorderPoint,
    active: state.active,
    lastEventAt: state.lastEventAt === null ? null : new Date(state.lastEventAt).toISOString(),
  };
}

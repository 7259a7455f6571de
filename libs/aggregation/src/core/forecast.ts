import type { StockForecast } from '@stockwall/contracts';

/**
 * Per-SKU demand forecasting, mirrored exactly by the Lua apply (apply-batch.script.ts): a sell
 * rate that decays exponentially with event time, daily demand statistics for safety stock, and
 * the run-out projection read at the watermark.
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface ForecastSettings {
  /** Time constant of the decayed sell rate (ms of event time). */
  decayMs: number;
  /** Service-level factor for safety stock (1.65 ≈ 95 %). */
  safetyZ: number;
  /** Lead time in days when a SKU's supplier has none on record; null: no computed reorder point. */
  defaultLeadTimeDays: number | null;
  /** Completed days of history needed before a reorder point is computed. */
  minHistoryDays: number;
}

export interface DemandState {
  /** Decayed sell rate in units per hour, as of `rateAt`. */
  rate: number;
  rateAt: number | null;
  /** Day index (epoch day) currently being filled and its units so far. */
  day: number | null;
  dayUnits: number;
  /** Completed days since the first sale (days without sales count as zeros), Σ units, Σ units². */
  days: number;
  sum: number;
  sumOfSquares: number;
}

export const EMPTY_DEMAND: Readonly<DemandState> = Object.freeze({
  rate: 0,
  rateAt: null,
  day: null,
  dayUnits: 0,
  days: 0,
  sum: 0,
  sumOfSquares: 0,
});

/** Adds `units` sold at `time`. Sales must be added in time order per SKU for exact day statistics. */
export function recordDemand(state: DemandState, time: number, units: number, decayMs: number): DemandState {
  const next = { ...state };
  const decayHours = decayMs / HOUR_MS;
  if (next.rateAt === null || time >= next.rateAt) {
    next.rate = next.rateAt === null ? 0 : next.rate * Math.exp(-(time - next.rateAt) / decayMs);
    next.rateAt = time;
    next.rate += units / decayHours;
  } else {
    // A sale older than the rate's time adds its already-decayed share.
    next.rate += (units / decayHours) * Math.exp(-(next.rateAt - time) / decayMs);
  }
  const day = Math.floor(time / DAY_MS);
  if (next.day === null) {
    next.day = day;
    next.dayUnits = 0;
  } else if (day > next.day) {
    next.days += day - next.day;
    next.sum += next.dayUnits;
    next.sumOfSquares += next.dayUnits * next.dayUnits;
    next.day = day;
    next.dayUnits = 0;
  }
  next.dayUnits += units;
  return next;
}

/** The sell rate (units/hour) decayed to `at`. */
export function sellRateAt(state: Pick<DemandState, 'rate' | 'rateAt'>, at: number, decayMs: number): number {
  if (state.rateAt === null) return 0;
  return at > state.rateAt ? state.rate * Math.exp(-(at - state.rateAt) / decayMs) : state.rate;
}

/**
 * Reorder point = average daily demand × lead time + z × σ(daily demand) × √lead time, rounded
 * up, over the completed days; null without a lead time or enough history.
 */
export function computedReorderPoint(
  state: DemandState,
  leadTimeDays: number | null,
  settings: Pick<ForecastSettings, 'safetyZ' | 'minHistoryDays'>,
): number | null {
  if (leadTimeDays === null || state.days < settings.minHistoryDays || state.days === 0) return null;
  const mean = state.sum / state.days;
  const variance = Math.max(state.sumOfSquares / state.days - mean * mean, 0);
  return Math.ceil(mean * leadTimeDays + settings.safetyZ * Math.sqrt(variance) * Math.sqrt(leadTimeDays) - 1e-9);
}

/** Days the available units last at the current sell rate; null when nothing sells. */
export function daysOfCover(available: number, ratePerHour: number): number | null {
  if (ratePerHour <= 0) return null;
  return Math.max(available, 0) / (ratePerHour * 24);
}

/** Event time at which the available units run out at the current rate; null when nothing sells. */
export function projectedRunOut(available: number, ratePerHour: number, at: number): number | null {
  if (ratePerHour <= 0) return null;
  return at + Math.round((Math.max(available, 0) / ratePerHour) * HOUR_MS);
}

// ----- Read side: what the forecast endpoints serve -----

/** Longest supplier lead time accepted, in days (as for DEFAULT_LEAD_TIME_DAYS). */
export const MAX_LEAD_TIME_DAYS = 365;

/** A supplier lead time is a positive, finite number of days up to MAX_LEAD_TIME_DAYS. */
export function isLeadTimeDays(days: number): boolean {
  return Number.isFinite(days) && days > 0 && days <= MAX_LEAD_TIME_DAYS;
}

// The latest instant a Date can hold: a run-out beyond it is, for any purpose, never.
const MAX_DATE_MS = 8.64e15;

/** What the stock hash holds for the forecast of one SKU at one location. */
export interface ForecastInput {
  sku: string;
  location: string;
  name: string | null;
  active: boolean;
  available: number;
  /** Decayed sell rate (units/hour) as of `rateAt`, the latest sale counted. */
  rate: number;
  rateAt: number | null;
  /** Completed days of demand history. */
  historyDays: number;
  explicitReorderPoint: number | null;
  computedReorderPoint: number | null;
  /** Lead time on record for the supplier of the latest restock. */
  supplierLeadTimeDays: number | null;
}

export interface ForecastReadSettings {
  decayMs: number;
  defaultLeadTimeDays: number | null;
}

/** Where a forecast sits in the run-out order: soonest first, SKUs without sales last, then SKU, location. */
export interface ForecastPosition {
  runOutAt: number | null;
  sku: string;
  location: string;
}

export interface RankedForecast {
  forecast: StockForecast;
  position: ForecastPosition;
}

/**
 * The forecast of one SKU read at `at` (the watermark): rate decayed to it, days of cover and the
 * projected run-out from the available units, and the reorder point in force (explicit wins).
 */
export function forecastAt(input: ForecastInput, at: number, settings: ForecastReadSettings): RankedForecast {
  const rate = sellRateAt(input, at, settings.decayMs);
  const cover = daysOfCover(input.available, rate);
  const runOut = projectedRunOut(input.available, rate, at);
  const runOutAt = runOut !== null && Number.isFinite(runOut) && runOut <= MAX_DATE_MS ? runOut : null;
  const reorderPoint = input.explicitReorderPoint ?? input.computedReorderPoint;
  return {
    forecast: {
      sku: input.sku,
      location: input.location,
      name: input.name,
      active: input.active,
      available: input.available,
      sellRatePerHour: roundRatio(rate),
      lastSaleAt: input.rateAt === null ? null : new Date(input.rateAt).toISOString(),
      daysOfCover: cover !== null && Number.isFinite(cover) ? roundRatio(cover) : null,
      projectedRunOutAt: runOutAt === null ? null : new Date(runOutAt).toISOString(),
      reorderPoint,
      reorderPointSource:
        input.explicitReorderPoint !== null ? 'explicit' : input.computedReorderPoint !== null ? 'computed' : null,
      leadTimeDays: input.supplierLeadTimeDays ?? settings.defaultLeadTimeDays,
      historyDays: input.historyDays,
    },
    position: { runOutAt, sku: input.sku, location: input.location },
  };
}

export function compareForecastPositions(left: ForecastPosition, right: ForecastPosition): number {
  if (left.runOutAt !== right.runOutAt) {
    if (left.runOutAt === null) return 1;
    if (right.runOutAt === null) return -1;
    return left.runOutAt - right.runOutAt;
  }
  return compareText(left.sku, right.sku) || compareText(left.location, right.location);
}

/** One page in run-out order, strictly after `after` (keyset paging); `next` is set when more follow. */
export function pageByRunOut(
  ranked: readonly RankedForecast[],
  limit: number,
  after?: ForecastPosition,
): { page: RankedForecast[]; next: ForecastPosition | null } {
  const ordered = ranked
    .filter((entry) => after === undefined || compareForecastPositions(entry.position, after) > 0)
    .sort((left, right) => compareForecastPositions(left.position, right.position));
  const page = ordered.slice(0, limit);
  return { page, next: ordered.length > limit ? page[page.length - 1].position : null };
}

function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

// Six decimals, as the KPI ratios; values too large to need it are left as they are.
function roundRatio(value: number): number {
  return Math.abs(value) >= 1e9 ? value : Math.round(value * 1e6) / 1e6;
}

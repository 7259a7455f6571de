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
export function sellRateAt(state: DemandState, at: number, decayMs: number): number {
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

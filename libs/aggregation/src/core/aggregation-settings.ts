/** Tunables of the windows and forecasts; the worker takes them from the validated config. */
export interface AggregationSettings {
  allowedLatenessMs: number;
  sellRateDecayMs: number;
  safetyStockZ: number;
  defaultLeadTimeDays: number | null;
  minHistoryDays: number;
}

export const DEFAULT_AGGREGATION_SETTINGS: Readonly<AggregationSettings> = Object.freeze({
  allowedLatenessMs: 5 * 60_000,
  sellRateDecayMs: 24 * 3_600_000,
  safetyStockZ: 1.65,
  defaultLeadTimeDays: null,
  minHistoryDays: 7,
});

import { z } from 'zod';
import { type EnvironmentValues, integer } from './environment-values';

/** Rolling windows, forecasts and reorder points (see docs/aggregation.md). */
export interface AggregationConfig {
  allowedLatenessMs: number;
  sellRateDecayMs: number;
  safetyStockZ: number;
  defaultLeadTimeDays: number | null;
  minHistoryDays: number;
}

export const aggregationEnvironment = {
  ALLOWED_LATENESS_SECONDS: integer(300, 0, 86_400),
  SELL_RATE_DECAY_HOURS: integer(24, 1, 24 * 90),
  SAFETY_STOCK_Z: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value === '' ? '1.65' : value))
    .pipe(z.coerce.number({ invalid_type_error: 'must be a number' }).min(0).max(5)),
  DEFAULT_LEAD_TIME_DAYS: integer(0, 0, 365),
  FORECAST_MIN_HISTORY_DAYS: integer(7, 1, 365),
};

export function aggregationConfigOf(values: EnvironmentValues<typeof aggregationEnvironment>): AggregationConfig {
  return {
    allowedLatenessMs: values.ALLOWED_LATENESS_SECONDS * 1000,
    sellRateDecayMs: values.SELL_RATE_DECAY_HOURS * 3_600_000,
    safetyStockZ: values.SAFETY_STOCK_Z,
    // 0 = no default: only SKUs whose supplier has a lead time on record get a computed reorder point.
    defaultLeadTimeDays: values.DEFAULT_LEAD_TIME_DAYS || null,
    minHistoryDays: values.FORECAST_MIN_HISTORY_DAYS,
  };
}

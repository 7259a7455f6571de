import type { ForecastInput } from '../core/forecast';

/**
 * The stock hash fields a forecast is read from: on hand, committed, active, name, the decayed
 * sell rate and its time, completed demand days, the explicit and computed reorder points and the
 * supplier lead time (written by the apply script, see apply-batch.script.ts).
 */
export const FORECAST_HASH_FIELDS = ['on', 'cm', 'ac', 'nm', 'sr', 'st', 'dn', 'rp', 'rc', 'lt'] as const;

export function parseForecastFields(
  sku: string,
  location: string,
  fields: readonly (string | null)[],
): ForecastInput | null {
  if (fields[0] === null || fields[0] === undefined) return null;
  const optional = (value: string | null | undefined) =>
    value === null || value === undefined || value === '' ? null : Number(value);
  return {
    sku,
    location,
    available: Number(fields[0]) - Number(fields[1] ?? 0),
    active: fields[2] !== '0',
    name: fields[3] ? fields[3] : null,
    rate: optional(fields[4]) ?? 0,
    rateAt: optional(fields[5]),
    historyDays: optional(fields[6]) ?? 0,
    explicitReorderPoint: optional(fields[7]),
    computedReorderPoint: optional(fields[8]),
    supplierLeadTimeDays: optional(fields[9]),
  };
}

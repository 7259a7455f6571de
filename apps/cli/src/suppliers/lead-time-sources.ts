import { isLeadTimeDays } from '@stockwall/aggregation';
import { INVOICE_PURCHASES_COLUMNS, parseInvoicePurchases } from './invoice-purchases.parser';
import { estimateLeadTimes, LeadTimeSamples, RejectedRow, SupplierLeadTimeEstimate } from './lead-time-estimator';
import { readCsvTable } from './supplier-csv';
import { parseSupplyChain, SUPPLY_CHAIN_COLUMNS } from './supply-chain.parser';

export const LEAD_TIME_FORMATS = ['invoice-purchases', 'supply-chain'] as const;
export type LeadTimeFormat = (typeof LEAD_TIME_FORMATS)[number];

const FORMATS: Record<LeadTimeFormat, { columns: readonly string[]; parse: (text: string) => LeadTimeSamples }> = {
  'invoice-purchases': { columns: INVOICE_PURCHASES_COLUMNS, parse: parseInvoicePurchases },
  'supply-chain': { columns: SUPPLY_CHAIN_COLUMNS, parse: parseSupplyChain },
};

export interface LeadTimeReading {
  format: LeadTimeFormat;
  rows: number;
  rejected: RejectedRow[];
  /** One per supplier within 0 < days ≤ MAX_LEAD_TIME_DAYS. */
  leadTimes: SupplierLeadTimeEstimate[];
  /** Suppliers whose median falls outside those bounds: not loaded. */
  outOfBounds: SupplierLeadTimeEstimate[];
}

/** The format whose columns the header has; null when none fits. */
export function detectLeadTimeFormat(text: string): LeadTimeFormat | null {
  const { header } = readCsvTable(text.slice(0, 4_096).split(/\r?\n/)[0] ?? '');
  return LEAD_TIME_FORMATS.find((format) => FORMATS[format].columns.every((column) => header.includes(column))) ?? null;
}

/** Parses a purchasing file and estimates each supplier's lead time (the median of its orders). */
export function readLeadTimes(text: string, format?: LeadTimeFormat): LeadTimeReading {
  const chosen = format ?? detectLeadTimeFormat(text);
  if (chosen === null) {
    throw new Error(
      `the header fits none of the formats (${LEAD_TIME_FORMATS.map((name) => `${name}: ${FORMATS[name].columns.join(', ')}`).join('; ')})`,
    );
  }
  const { samples, rows, rejected } = FORMATS[chosen].parse(text);
  const estimates = estimateLeadTimes(samples);
  return {
    format: chosen,
    rows,
    rejected,
    leadTimes: estimates.filter((estimate) => isLeadTimeDays(estimate.days)),
    outOfBounds: estimates.filter((estimate) => !isLeadTimeDays(estimate.days)),
  };
}

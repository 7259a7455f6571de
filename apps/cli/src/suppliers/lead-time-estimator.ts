/** One observed lead time: a purchase order's days from order to delivery (or invoice). */
export interface LeadTimeSample {
  supplierId: string;
  supplierName: string;
  days: number;
}

/** A row a parser refused, and why (1-based line in the file). */
export interface RejectedRow {
  line: number;
  reason: string;
}

/** What a source file gives: the samples, the data rows read and those refused. */
export interface LeadTimeSamples {
  samples: LeadTimeSample[];
  rows: number;
  rejected: RejectedRow[];
}

export interface SupplierLeadTimeEstimate {
  supplierId: string;
  /** The name on the supplier's last row (a few suppliers' names vary between orders). */
  supplierName: string;
  /** Median of the samples, in days. */
  days: number;
  orders: number;
  shortest: number;
  longest: number;
}

/** The median; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * One lead time per supplier: the median of its samples, robust to the odd late delivery. Sorted
 * by supplier id (numerically where both are numbers).
 */
export function estimateLeadTimes(samples: readonly LeadTimeSample[]): SupplierLeadTimeEstimate[] {
  const bySupplier = new Map<string, { name: string; days: number[] }>();
  for (const sample of samples) {
    const entry = bySupplier.get(sample.supplierId);
    if (entry) {
      entry.name = sample.supplierName;
      entry.days.push(sample.days);
    } else {
      bySupplier.set(sample.supplierId, { name: sample.supplierName, days: [sample.days] });
    }
  }
  return [...bySupplier]
    .map(([supplierId, entry]) => ({
      supplierId,
      supplierName: entry.name,
      days: median(entry.days),
      orders: entry.days.length,
      shortest: Math.min(...entry.days),
      longest: Math.max(...entry.days),
    }))
    .sort((left, right) => left.supplierId.localeCompare(right.supplierId, 'en', { numeric: true }));
}

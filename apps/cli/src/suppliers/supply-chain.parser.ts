import type { LeadTimeSamples } from './lead-time-estimator';
import { collectSamples, supplierIdOf } from './supplier-csv';

export const SUPPLY_CHAIN_COLUMNS = ['SKU', 'Supplier name', 'Lead time'] as const;

/**
 * The supply-chain sample (one row per SKU): `Supplier name` and its `Lead time` in days. The file
 * also has `Lead times` (plural), the SKU's lead time to the customer, which is not the supplier's
 * and is ignored. A lead time of 0 or less, or not a whole number, refuses the row.
 */
export function parseSupplyChain(text: string): LeadTimeSamples {
  return collectSamples(text, SUPPLY_CHAIN_COLUMNS, (field) => {
    const supplierName = field('Supplier name').trim();
    const supplierId = supplierIdOf(supplierName);
    if (supplierId === null) return 'no Supplier name';
    const leadTime = field('Lead time').trim();
    if (!/^\d+$/.test(leadTime) || Number(leadTime) <= 0) {
      return `Lead time "${leadTime}" is not a positive whole number of days`;
    }
    return { supplierId, supplierName, days: Number(leadTime) };
  });
}

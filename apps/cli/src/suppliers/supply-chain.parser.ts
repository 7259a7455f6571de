import type { LeadTimeSample, LeadTimeSamples, RejectedRow } from './lead-time-estimator';
import { columnsOf, readCsvTable, supplierIdOf } from './supplier-csv';

export const SUPPLY_CHAIN_COLUMNS = ['SKU', 'Supplier name', 'Lead time'] as const;

/**
 * The supply-chain sample (one row per SKU): `Supplier name` and its `Lead time` in days. The file
 * also has `Lead times` (plural), the SKU's lead time to the customer, which is not the supplier's
 * and is ignored. A lead time of 0 or less, or not a whole number, refuses the row.
 */
export function parseSupplyChain(text: string): LeadTimeSamples {
  const { header, records } = readCsvTable(text);
  const columns = columnsOf(header, SUPPLY_CHAIN_COLUMNS);
  const samples: LeadTimeSample[] = [];
  const rejected: RejectedRow[] = [];
  for (const record of records) {
    const reject = (reason: string) => rejected.push({ line: record.line, reason });
    if (record.fields.length !== header.length) {
      reject(`${record.fields.length} fields, the header has ${header.length}`);
      continue;
    }
    const supplierName = record.fields[columns['Supplier name']].trim();
    const supplierId = supplierIdOf(supplierName);
    if (supplierId === null) {
      reject('no Supplier name');
      continue;
    }
    const leadTime = record.fields[columns['Lead time']].trim();
    if (!/^\d+$/.test(leadTime) || Number(leadTime) <= 0) {
      reject(`Lead time "${leadTime}" is not a positive whole number of days`);
      continue;
    }
    samples.push({ supplierId, supplierName, days: Number(leadTime) });
  }
  return { samples, rows: records.length, rejected };
}

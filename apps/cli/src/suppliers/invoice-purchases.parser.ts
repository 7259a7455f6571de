import { DAY_MS } from '@stockwall/aggregation';
import type { LeadTimeSamples } from './lead-time-estimator';
import { collectSamples, supplierIdOf } from './supplier-csv';

export const INVOICE_PURCHASES_COLUMNS = ['VendorNumber', 'VendorName', 'InvoiceDate', 'PONumber', 'PODate'] as const;

/**
 * Purchase orders with their invoices (`VendorNumber,VendorName,InvoiceDate,PONumber,PODate,PayDate,
 * Quantity,Dollars,Freight,Approval`, dates DD-MM-YYYY): each row's lead time is the days from
 * PODate to InvoiceDate. Vendor names are trimmed (the source pads them with spaces).
 */
export function parseInvoicePurchases(text: string): LeadTimeSamples {
  return collectSamples(text, INVOICE_PURCHASES_COLUMNS, (field) => {
    const supplierId = supplierIdOf(field('VendorNumber'));
    if (supplierId === null) return 'no VendorNumber';
    const ordered = parseDayMonthYear(field('PODate'));
    const invoiced = parseDayMonthYear(field('InvoiceDate'));
    if (ordered === null || invoiced === null) {
      return `${ordered === null ? 'PODate' : 'InvoiceDate'} is not a DD-MM-YYYY date`;
    }
    if (invoiced < ordered) return 'InvoiceDate is before PODate';
    return { supplierId, supplierName: field('VendorName').trim(), days: Math.round((invoiced - ordered) / DAY_MS) };
  });
}

/** `DD-MM-YYYY` (or with slashes) as UTC midnight epoch ms; null for anything else or an impossible date. */
export function parseDayMonthYear(text: string | undefined): number | null {
  const match = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/.exec((text ?? '').trim());
  if (!match) return null;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? time : null;
}

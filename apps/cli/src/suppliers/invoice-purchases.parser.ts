import { DAY_MS } from '@stockwall/aggregation';
import type { LeadTimeSample, LeadTimeSamples, RejectedRow } from './lead-time-estimator';
import { columnsOf, readCsvTable, supplierIdOf } from './supplier-csv';

export const INVOICE_PURCHASES_COLUMNS = ['VendorNumber', 'VendorName', 'InvoiceDate', 'PONumber', 'PODate'] as const;

/**
 * Purchase orders with their invoices (`VendorNumber,VendorName,InvoiceDate,PONumber,PODate,PayDate,
 * Quantity,Dollars,Freight,Approval`, dates DD-MM-YYYY): each row's lead time is the days from
 * PODate to InvoiceDate. Vendor names are trimmed (the source pads them with spaces).
 */
export function parseInvoicePurchases(text: string): LeadTimeSamples {
  const { header, records } = readCsvTable(text);
  const columns = columnsOf(header, INVOICE_PURCHASES_COLUMNS);
  const samples: LeadTimeSample[] = [];
  const rejected: RejectedRow[] = [];
  for (const record of records) {
    const reject = (reason: string) => rejected.push({ line: record.line, reason });
    if (record.fields.length !== header.length) {
      reject(`${record.fields.length} fields, the header has ${header.length}`);
      continue;
    }
    const supplierId = supplierIdOf(record.fields[columns.VendorNumber]);
    if (supplierId === null) {
      reject('no VendorNumber');
      continue;
    }
    const ordered = parseDayMonthYear(record.fields[columns.PODate]);
    const invoiced = parseDayMonthYear(record.fields[columns.InvoiceDate]);
    if (ordered === null || invoiced === null) {
      reject(`${ordered === null ? 'PODate' : 'InvoiceDate'} is not a DD-MM-YYYY date`);
      continue;
    }
    if (invoiced < ordered) {
      reject('InvoiceDate is before PODate');
      continue;
    }
    samples.push({
      supplierId,
      supplierName: record.fields[columns.VendorName].trim(),
      days: Math.round((invoiced - ordered) / DAY_MS),
    });
  }
  return { samples, rows: records.length, rejected };
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

import { DEFAULT_LOCATION, LIMITS, parseInstant, toCents, WireEvent } from '@stockwall/contracts';
import { RowIdentities } from './event-identity';
import { centsText, modelCostCents, RejectReason, ReplayOptions, RowConverter } from './replay-types';

const HEADER = 'InvoiceNo';
const DATE = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2})?)$/;
/** Real products have five-digit stock codes (with a letter for variants) or are DCGS gift sets. */
const PRODUCT_CODE = /^(\d{5}|DCGS)/;
const MAX_INVOICE_IN_ID = 32;

interface Row {
  code: string;
  description: string;
  quantity: number;
  priceText: string;
  priceCents: number;
  customer: string;
  origin: { file: string; line: number };
}

interface Run {
  invoice: string;
  time: string;
  source: string;
  rows: Row[];
}

/**
 * UCI Online Retail rows → events (see docs/replay-data.md for every rule). Rows of one invoice are
 * contiguous in the daily files; each run of them becomes its events when the next invoice starts:
 * SKUs new to this replay and to the live state (see markDefined) are added first (opening stock, the cost model), then write-offs and found stock, then
 * the sale (order_placed + order_fulfilled) or, for `C` invoices, the return.
 * A run's ids are `or-<invoice>-<hash>`: the hash of everything the run's events are made of and its
 * occurrence among identical runs of the file (see RowIdentities), so they do not depend on the
 * file's name or place.
 */
export class OnlineRetailConverter implements RowConverter {
  private readonly seen = new Set<string>();
  private readonly identities = new RowIdentities();
  private run: Run | null = null;

  constructor(private readonly options: ReplayOptions) {}

  /** Online Retail has one stock location (`main`): SKUs known elsewhere are still added here. */
  markDefined(sku: string, location: string): void {
    if (location === DEFAULT_LOCATION) this.seen.add(sku);
  }

  convert(fields: string[], origin: { file: string; line: number }): WireEvent[] | RejectReason {
    if (fields[0] === HEADER) return 'header';
    if (fields.length !== 8) return 'bad_layout';
    const [invoiceField, codeField, description, quantityText, date, priceText, customerText, country] = fields;
    const invoice = invoiceField.trim();
    const code = codeField.trim();
    if (invoice.startsWith('A')) return 'bad_debt_adjustment';
    if (!PRODUCT_CODE.test(code)) return 'non_product_code';
    const match = DATE.exec(date.trim());
    if (!match) return 'bad_date';
    const quantity = Number(quantityText);
    const priceCents = toCents(priceText);
    if (!Number.isSafeInteger(quantity) || quantity === 0 || priceCents === undefined || priceCents < 0) {
      return 'bad_number';
    }
    const time = `${match[1]}T${match[2].length === 5 ? `${match[2]}:00` : match[2]}Z`;
    // A real calendar date within bounds: 2011-02-31 is refused, not moved to March.
    if (!parseInstant(time).ok) return 'bad_date';
    const row: Row = {
      code,
      description: description.trim(),
      quantity,
      priceText: priceText.trim(),
      priceCents,
      customer: customerText.trim().replace(/\.0$/, ''),
      origin,
    };
    const events: WireEvent[] = [];
    if (this.run && this.run.invoice !== invoice) events.push(...this.flush());
    this.run ??= { invoice, time, source: country.trim() || 'Unspecified', rows: [] };
    this.run.rows.push(row);
    return events;
  }

  flush(): WireEvent[] {
    const run = this.run;
    this.run = null;
    if (!run) return [];
    const events: WireEvent[] = [];
    const common = { occurred_at: run.time, source: run.source };
    for (const row of run.rows) {
      if (this.seen.has(row.code)) continue;
      this.seen.add(row.code);
      const priced = row.priceCents > 0;
      events.push({
        event_type: 'product_added',
        event_id: `or-added-${row.code}`,
        ...common,
        product: {
          product_id: row.code,
          product_name: (row.description || row.code).slice(0, 256),
          quantity: this.options.openingStock,
          timestamp: run.time,
          ...(priced
            ? {
                unit_price: row.priceText,
                unit_cost: centsText(modelCostCents(row.priceCents, this.options.costPercent)),
              }
            : {}),
          ...(this.options.reorderPoint === null ? {} : { reorder_point: this.options.reorderPoint }),
        },
      });
    }
    const identity = this.identities.next(run.rows[0].origin.file, [
      run.invoice,
      run.time,
      run.source,
      ...run.rows.map((row) => `${row.code}|${row.quantity}|${row.priceCents}|${row.customer}`),
    ]);
    const orderId = `${run.invoice}`;
    // Invoice numbers are short; a longer one is cut in the id only (the hash covers all of it).
    const idBase = `or-${run.invoice.slice(0, MAX_INVOICE_IN_ID)}-${identity}`;
    const sales: Row[] = [];
    const returns: Row[] = [];
    for (const [index, row] of run.rows.entries()) {
      if (run.invoice.startsWith('C')) {
        returns.push(row);
      } else if (row.quantity < 0 || (row.priceCents === 0 && !row.customer)) {
        // Write-offs (negative, no price) and stock found or checked (positive, no price, no customer).
        events.push({
          event_type: 'quantity_changed',
          event_id: `${idBase}-changed-${index + 1}`,
          ...common,
          product: { product_id: row.code, quantity_delta: row.quantity, timestamp: run.time },
        });
      } else {
        sales.push(row);
      }
    }
    const customer = run.rows[0].customer;
    const lines = (rows: Row[]) =>
      rows.map((row) => ({ sku: row.code, quantity: Math.abs(row.quantity), unit_price: row.priceText }));
    // The wire allows 500 lines per order: longer invoices go as several orders (each counted once).
    chunks(sales, LIMITS.maxLines).forEach((part, index) => {
      const suffix = index === 0 ? '' : `-${index + 1}`;
      const order = {
        order_id: `${orderId}${suffix}`,
        ...(customer ? { customer_id: customer } : {}),
        lines: lines(part),
      };
      events.push({ event_type: 'order_placed', event_id: `${idBase}-placed${suffix}`, ...common, ...order });
      events.push({ event_type: 'order_fulfilled', event_id: `${idBase}-shipped${suffix}`, ...common, ...order });
    });
    chunks(returns, LIMITS.maxLines).forEach((part, index) => {
      const suffix = index === 0 ? '' : `-${index + 1}`;
      events.push({
        event_type: 'order_returned',
        event_id: `${idBase}-returned${suffix}`,
        ...common,
        order_id: `${orderId}${suffix}`,
        ...(customer ? { customer_id: customer } : {}),
        lines: lines(part),
      });
    });
    return events;
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

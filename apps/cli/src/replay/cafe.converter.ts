import { parseInstant, toCents, WireEvent } from '@stockwall/contracts';
import { RowIdentities } from './event-identity';
import { centsText, modelCostCents, RejectReason, ReplayOptions, RowConverter } from './replay-types';

const DATE = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/;

export interface BasketItem {
  sku: string;
  name: string;
  priceCents: number;
}

/**
 * Parses a basket: items separated by commas, each `<Size> <name> - <price>` where the name may
 * itself contain ` - ` (`Regular Flavoured latte - Hazelnut - 2.55`): the price follows the last one.
 */
export function parseBasket(text: string): BasketItem[] | null {
  const items: BasketItem[] = [];
  for (const part of text.split(',')) {
    const item = part.trim();
    const separator = item.lastIndexOf(' - ');
    if (separator <= 0) return null;
    const name = item.slice(0, separator).trim();
    const priceCents = toCents(item.slice(separator + 3));
    if (!name || priceCents === undefined || priceCents <= 0) return null;
    items.push({ sku: skuOf(name), name, priceCents });
  }
  return items.length > 0 ? items : null;
}

/** `Large Flavoured latte - Hazelnut` → `large-flavoured-latte-hazelnut`. */
export function skuOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Café branch rows → one sale each (order_placed + order_fulfilled) at the branch, which is both the
 * stock location and the source. Customer names and card numbers are never read into an event.
 * A sale's id is `cafe-<store>-<yyyymmddhhmm>-<hash>`: the hash of the row's time, store, basket,
 * total and payment method (never the name or card number) and its occurrence among identical rows of
 * the file (see RowIdentities), so it does not depend on the file's name or place.
 */
export class CafeConverter implements RowConverter {
  private readonly seen = new Set<string>();
  private readonly identities = new RowIdentities();

  constructor(private readonly options: ReplayOptions) {}

  /** Each branch is its own location: a SKU known at one branch is still added at the others. */
  markDefined(sku: string, location: string): void {
    this.seen.add(`${location}\u0000${sku}`);
  }

  convert(fields: string[], origin: { file: string; line: number }): WireEvent[] | RejectReason {
    if (fields[0] === 'Timestamp') return 'header';
    if (fields.length !== 7) return 'bad_layout';
    // Columns: timestamp, store, customer name (ignored), basket, total, payment (identity only), card number (dropped).
    const [timestamp, storeField, , basketText, totalText, payment] = fields;
    const match = DATE.exec(timestamp.trim());
    if (!match) return 'bad_date';
    const [, day, month, year, hour, minute] = match;
    const time = `${year}-${month}-${day}T${hour}:${minute}:00Z`;
    // A real calendar date within bounds: 31/02 is refused, not moved to March.
    if (!parseInstant(time).ok) return 'bad_date';
    const store = storeField.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/.test(store)) return 'bad_layout';
    if (!basketText.trim()) return 'empty_basket';
    const items = parseBasket(basketText);
    if (!items) return 'bad_basket_item';
    const totalCents = toCents(totalText);
    if (totalCents === undefined) return 'bad_number';
    if (items.reduce((sum, item) => sum + item.priceCents, 0) !== totalCents) return 'total_mismatch';

    const events: WireEvent[] = [];
    const common = { occurred_at: time, source: store, location: store };
    for (const item of items) {
      const key = `${store}\u0000${item.sku}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      events.push({
        event_type: 'product_added',
        event_id: `cafe-added-${skuOf(store)}-${item.sku}`,
        ...common,
        product: {
          product_id: item.sku,
          product_name: item.name,
          quantity: this.options.openingStock,
          timestamp: time,
          unit_price: centsText(item.priceCents),
          unit_cost: centsText(modelCostCents(item.priceCents, this.options.costPercent)),
          ...(this.options.reorderPoint === null ? {} : { reorder_point: this.options.reorderPoint }),
        },
      });
    }
    const identity = this.identities.next(origin.file, [
      time,
      store,
      items.map((item) => `${item.sku}:${item.priceCents}`).join(','),
      String(totalCents),
      payment.trim().toUpperCase(),
    ]);
    const idBase = `cafe-${skuOf(store)}-${year}${month}${day}${hour}${minute}-${identity}`;
    const order = {
      order_id: idBase,
      lines: items.map((item) => ({ sku: item.sku, quantity: 1, unit_price: centsText(item.priceCents) })),
    };
    events.push({ event_type: 'order_placed', event_id: `${idBase}-placed`, ...common, ...order });
    events.push({ event_type: 'order_fulfilled', event_id: `${idBase}-shipped`, ...common, ...order });
    return events;
  }

  flush(): WireEvent[] {
    return [];
  }
}

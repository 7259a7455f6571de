import { randomUUID } from 'node:crypto';
import type { WireEvent } from '@stockwall/contracts';

export interface TrafficOptions {
  skus: number;
  locations: string[];
  sources: string[];
  /** Deterministic runs for tests; defaults to Math.random. */
  random?: () => number;
  now?: () => Date;
}

interface SimulatedProduct {
  sku: string;
  name: string;
  price: number;
  cost: number;
  reorderPoint: number;
  available: Map<string, number>;
}

interface OpenOrder {
  orderId: string;
  location: string;
  source: string;
  lines: { sku: string; quantity: number; unit_price: string }[];
}

const NOUNS = [
  'Mug',
  'Lamp',
  'Backpack',
  'Notebook',
  'Kettle',
  'Headphones',
  'Candle',
  'Umbrella',
  'Teapot',
  'Blanket',
];
const ADJECTIVES = ['Blue', 'Vintage', 'Compact', 'Deluxe', 'Bamboo', 'Enamel', 'Travel', 'Linen', 'Copper', 'Retro'];
/**
 * Restocks name suppliers by their vendor numbers in the purchasing sample
 * (datasets/suppliers/InvoicePurchases12312016.csv), so lead times loaded from it with
 * `npm run cli -- lead-times` apply to simulated SKUs.
 */
export const SIMULATED_SUPPLIERS = ['480', '516', '1128', '1392', '1485', '1587', '2000', '4425', '4466'] as const;

/**
 * Units above its reorder point the best seller starts with at each location: at the demo's rate
 * (20 events/s, 40 SKUs) it sells about 2 units a second per location, so it crosses its reorder
 * point in well under two minutes and the wall shows a low-stock alert early on.
 */
export const BEST_SELLER_HEADROOM = { min: 30, spread: 20 } as const;

/**
 * Realistic mock traffic: a catalogue is created first, then orders are placed, fulfilled,
 * sometimes cancelled or returned, and stock at or below its reorder point is restocked (a
 * supplier delivery answers a reorder, it does not top up healthy stock). Stock never goes
 * negative because the generator tracks what it has sold.
 */
export class TrafficGenerator {
  private readonly products: SimulatedProduct[] = [];
  private readonly openOrders: OpenOrder[] = [];
  private readonly shipped: OpenOrder[] = [];
  private readonly random: () => number;
  private readonly now: () => Date;
  private catalogueSent = 0;
  private restocksSent = 0;

  constructor(private readonly options: TrafficOptions) {
    this.random = options.random ?? Math.random;
    this.now = options.now ?? (() => new Date());
    for (let index = 0; index < options.skus; index++) {
      const price = 5 + Math.floor(this.random() * 9500) / 100;
      this.products.push({
        sku: `SKU-${String(index + 1).padStart(5, '0')}`,
        name: `${this.pick(ADJECTIVES)} ${this.pick(NOUNS)}`,
        price,
        cost: Math.round(price * (0.45 + this.random() * 0.2) * 100) / 100,
        reorderPoint: 10 + Math.floor(this.random() * 20),
        available: new Map(),
      });
    }
  }

  next(): WireEvent {
    const total = this.products.length * this.options.locations.length;
    if (this.catalogueSent < total) return this.addProduct(this.catalogueSent++);
    const roll = this.random();
    // Orders placed and orders closed (fulfilled or cancelled) balance, so committed stock stays bounded.
    if (roll < 0.4 || this.openOrders.length === 0) return this.placeOrder();
    if (roll < 0.8) return this.fulfilOrder();
    if (roll < 0.84) return this.cancelOrder();
    if (roll < 0.87 && this.shipped.length > 0) return this.returnOrder();
    if (roll < 0.95) return this.restock();
    return this.cycleCount();
  }

  private addProduct(index: number): WireEvent {
    const product = this.products[index % this.products.length];
    const location = this.options.locations[Math.floor(index / this.products.length)];
    // The best seller (the one weightedProduct picks most) starts close to its reorder point.
    const quantity =
      index % this.products.length === 0
        ? product.reorderPoint + BEST_SELLER_HEADROOM.min + Math.floor(this.random() * BEST_SELLER_HEADROOM.spread)
        : 40 + Math.floor(this.random() * 160);
    product.available.set(location, quantity);
    return {
      event_type: 'product_added',
      event_id: randomUUID(),
      location,
      source: 'catalog',
      product: {
        product_id: product.sku,
        product_name: product.name,
        quantity,
        timestamp: this.now().toISOString(),
        unit_price: product.price.toFixed(2),
        unit_cost: product.cost.toFixed(2),
        reorder_point: product.reorderPoint,
      },
    };
  }

  private placeOrder(): WireEvent {
    const location = this.pick(this.options.locations);
    const source = this.pick(this.options.sources);
    const lines: OpenOrder['lines'] = [];
    const lineCount = 1 + Math.floor(this.random() * 3);
    for (let index = 0; index < lineCount; index++) {
      const product = this.weightedProduct();
      const available = product.available.get(location) ?? 0;
      const quantity = Math.min(available, 1 + Math.floor(this.random() * 3));
      if (quantity <= 0 || lines.some((line) => line.sku === product.sku)) continue;
      product.available.set(location, available - quantity);
      lines.push({ sku: product.sku, quantity, unit_price: product.price.toFixed(2) });
    }
    if (lines.length === 0) return this.restock();
    const order: OpenOrder = { orderId: `ORD-${randomUUID().slice(0, 8)}`, location, source, lines };
    this.openOrders.push(order);
    return this.orderEvent('order_placed', order);
  }

  private fulfilOrder(): WireEvent {
    const order = this.openOrders.shift()!;
    this.shipped.push(order);
    if (this.shipped.length > 200) this.shipped.shift();
    return this.orderEvent('order_fulfilled', order);
  }

  private cancelOrder(): WireEvent {
    const order = this.openOrders.splice(Math.floor(this.random() * this.openOrders.length), 1)[0];
    for (const line of order.lines) this.release(line.sku, order.location, line.quantity);
    return this.orderEvent('order_cancelled', order);
  }

  private returnOrder(): WireEvent {
    const order = this.shipped.splice(Math.floor(this.random() * this.shipped.length), 1)[0];
    const line = order.lines[0];
    this.release(line.sku, order.location, line.quantity);
    return this.orderEvent('order_returned', { ...order, lines: [line] });
  }

  private restock(): WireEvent {
    const location = this.pick(this.options.locations);
    const headroom = (product: SimulatedProduct) => (product.available.get(location) ?? 0) - product.reorderPoint;
    const due = this.products
      .filter((product) => headroom(product) <= 0)
      .sort((left, right) => headroom(left) - headroom(right));
    // Nothing to reorder at this location: a count of the shelves instead.
    if (due.length === 0) return this.cycleCount();
    const lowest = due[Math.floor(this.random() * Math.min(3, due.length))];
    const quantity = 50 + Math.floor(this.random() * 100);
    this.release(lowest.sku, location, quantity);
    const cost = lowest.cost * (0.95 + this.random() * 0.1);
    return {
      event_type: 'restock_received',
      event_id: randomUUID(),
      occurred_at: this.now().toISOString(),
      location,
      source: 'supplier',
      sku: lowest.sku,
      quantity,
      unit_cost: cost.toFixed(2),
      // In turn: restocks answer reorders only, so even a short run names every supplier.
      supplier_id: SIMULATED_SUPPLIERS[this.restocksSent++ % SIMULATED_SUPPLIERS.length],
    };
  }

  private cycleCount(): WireEvent {
    const location = this.pick(this.options.locations);
    const product = this.pick(this.products);
    const shrinkage = Math.floor(this.random() * 3);
    const available = Math.max(0, (product.available.get(location) ?? 0) - shrinkage);
    product.available.set(location, available);
    return {
      event_type: 'quantity_changed',
      event_id: randomUUID(),
      location,
      source: 'cycle-count',
      product: { product_id: product.sku, quantity_delta: -shrinkage, timestamp: this.now().toISOString() },
    };
  }

  private orderEvent(
    type: 'order_placed' | 'order_fulfilled' | 'order_cancelled' | 'order_returned',
    order: OpenOrder,
  ): WireEvent {
    return {
      event_type: type,
      event_id: randomUUID(),
      occurred_at: this.now().toISOString(),
      location: order.location,
      source: order.source,
      order_id: order.orderId,
      lines: order.lines,
    };
  }

  private release(sku: string, location: string, quantity: number): void {
    const product = this.products.find((candidate) => candidate.sku === sku)!;
    product.available.set(location, (product.available.get(location) ?? 0) + quantity);
  }

  /** A few best sellers take most orders, as in real shops. */
  private weightedProduct(): SimulatedProduct {
    const index = Math.floor(this.products.length * this.random() ** 2);
    return this.products[Math.min(index, this.products.length - 1)];
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }
}

import { randomUUID } from 'node:crypto';
import type { WireEvent, WireEventType } from '@stockwall/contracts';

/**
 * Builders for well-formed wire events (the snake_case JSON producers put on the stream, see
 * wire-schemas.ts). Each takes only what a test cares about; the rest gets a sensible default and
 * every event a fresh id. Malformed input is written out by hand where it is the point of a test.
 */
export type WireOf<TType extends WireEventType> = Extract<WireEvent, { event_type: TType }>;
export type WireLine = WireOf<'order_placed'>['lines'][number];
export type WireMoney = WireLine['unit_price'];

export type OrderType = 'order_placed' | 'order_fulfilled' | 'order_cancelled' | 'order_returned';
type ProductFields = WireOf<'product_added'>['product'];

/** The fields every event may carry, by their meaning rather than their wire names. */
export interface EventMetaOptions {
  /** `event_id`; a fresh one when not given. */
  id?: string;
  /** `occurred_at`; left out (the record's arrival time) when not given. */
  occurredAt?: string;
  location?: string;
  source?: string;
  actor?: string;
  reason?: string;
}

export const DEFAULT_SKU = 'SKU-1';

let sequence = 0;

/** A fresh event id, readable in a failure (`evt-3-…`) and unique across processes. */
export function anEventId(prefix = 'evt'): string {
  return `${prefix}-${++sequence}-${randomUUID().slice(0, 8)}`;
}

function meta({ id, occurredAt, location, source, actor, reason }: EventMetaOptions) {
  return {
    event_id: id ?? anEventId(),
    ...(occurredAt === undefined ? {} : { occurred_at: occurredAt }),
    ...(location === undefined ? {} : { location }),
    ...(source === undefined ? {} : { source }),
    ...(actor === undefined ? {} : { actor }),
    ...(reason === undefined ? {} : { reason }),
  };
}

/** Only the optional fields that were given, so a builder never writes `undefined` onto the wire. */
function given<TFields extends Record<string, unknown>>(fields: TFields): Partial<TFields> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<TFields>;
}

const now = () => new Date().toISOString();

export interface ProductAddedOptions extends EventMetaOptions {
  sku?: string;
  name?: string;
  quantity?: number;
  /** `product.timestamp`; now when not given. */
  at?: string;
  unitPrice?: ProductFields['unit_price'];
  unitCost?: ProductFields['unit_cost'];
  reorderPoint?: number;
}

export function aProductAdded(options: ProductAddedOptions = {}): WireOf<'product_added'> {
  const { sku = DEFAULT_SKU, name = `Product ${sku}`, quantity = 10, at = now() } = options;
  return {
    event_type: 'product_added',
    ...meta(options),
    product: {
      product_id: sku,
      product_name: name,
      quantity,
      timestamp: at,
      ...given({ unit_price: options.unitPrice, unit_cost: options.unitCost, reorder_point: options.reorderPoint }),
    },
  };
}

export interface QuantityChangeOptions extends EventMetaOptions {
  sku?: string;
  delta?: number;
  /** `product.timestamp`; now when not given. */
  at?: string;
}

export function aQuantityChange(options: QuantityChangeOptions = {}): WireOf<'quantity_changed'> {
  const { sku = DEFAULT_SKU, delta = -1, at = now() } = options;
  return {
    event_type: 'quantity_changed',
    ...meta(options),
    product: { product_id: sku, quantity_delta: delta, timestamp: at },
  };
}

export interface ProductRemovedOptions extends EventMetaOptions {
  sku?: string;
  /** Units leaving stock; without it the SKU is discontinued. */
  quantity?: number;
  at?: string;
}

export function aProductRemoved(options: ProductRemovedOptions = {}): WireOf<'product_removed'> {
  const { sku = DEFAULT_SKU, at = now() } = options;
  return {
    event_type: 'product_removed',
    ...meta(options),
    product: { product_id: sku, timestamp: at, ...given({ quantity: options.quantity }) },
  };
}

export interface OrderOptions<TType extends OrderType = 'order_placed'> extends EventMetaOptions {
  orderId?: string;
  customerId?: string;
  /** The order's lines (priced on an `order_placed`); or one line from `sku`, `quantity` and `unitPrice`. */
  lines?: WireOf<TType>['lines'];
  sku?: string;
  quantity?: number;
  unitPrice?: WireMoney;
}

/** An order event of any of the four types; `anOrder`, `aFulfilment`, `aCancellation` and `aReturn` name one each. */
export function anOrderEvent<TType extends OrderType>(type: TType, options: OrderOptions<TType>): WireOf<TType> {
  const { orderId = anEventId('order'), sku = DEFAULT_SKU, quantity = 1, unitPrice = '1.00' } = options;
  return {
    event_type: type,
    ...meta(options),
    order_id: orderId,
    ...given({ customer_id: options.customerId }),
    lines: options.lines ?? [{ sku, quantity, unit_price: unitPrice }],
  } as WireOf<TType>;
}

/** `order_placed`: every line priced. */
export const anOrder = (options: OrderOptions = {}) => anOrderEvent('order_placed', options);
export const aFulfilment = (options: OrderOptions<'order_fulfilled'> = {}) => anOrderEvent('order_fulfilled', options);
export const aCancellation = (options: OrderOptions<'order_cancelled'> = {}) =>
  anOrderEvent('order_cancelled', options);
export const aReturn = (options: OrderOptions<'order_returned'> = {}) => anOrderEvent('order_returned', options);

export interface RestockOptions extends EventMetaOptions {
  sku?: string;
  quantity?: number;
  unitCost?: WireOf<'restock_received'>['unit_cost'];
  supplierId?: string;
}

export function aRestock(options: RestockOptions = {}): WireOf<'restock_received'> {
  const { sku = DEFAULT_SKU, quantity = 10, unitCost = '1.00' } = options;
  return {
    event_type: 'restock_received',
    ...meta(options),
    sku,
    quantity,
    unit_cost: unitCost,
    ...given({ supplier_id: options.supplierId }),
  };
}

export interface AdjustmentOptions extends EventMetaOptions {
  sku?: string;
  /** The counted quantity the stock is set to. */
  quantity?: number;
}

/** `stock_adjusted`: a stock count, with its required reason. */
export function anAdjustment(options: AdjustmentOptions = {}): WireOf<'stock_adjusted'> {
  const { sku = DEFAULT_SKU, quantity = 0, reason = 'stock count' } = options;
  return { event_type: 'stock_adjusted', ...meta(options), sku, quantity, reason };
}

export interface ReorderPointOptions extends EventMetaOptions {
  sku?: string;
  reorderPoint?: number;
}

export function aReorderPointSet(options: ReorderPointOptions = {}): WireOf<'reorder_point_set'> {
  const { sku = DEFAULT_SKU, reorderPoint = 5 } = options;
  return { event_type: 'reorder_point_set', ...meta(options), sku, reorder_point: reorderPoint };
}

export interface ProductUpdateOptions extends EventMetaOptions {
  sku?: string;
  name?: string;
  unitPrice?: WireMoney;
  unitCost?: WireMoney;
  category?: string;
  description?: string;
}

/** `product_updated`: a name change unless other catalog fields are given. */
export function aProductUpdate(options: ProductUpdateOptions = {}): WireOf<'product_updated'> {
  const { sku = DEFAULT_SKU, unitPrice, unitCost, category, description } = options;
  const fields = given({ name: options.name, unit_price: unitPrice, unit_cost: unitCost, category, description });
  return {
    event_type: 'product_updated',
    ...meta(options),
    sku,
    ...(Object.keys(fields).length === 0 ? { name: `Product ${sku}` } : fields),
  };
}

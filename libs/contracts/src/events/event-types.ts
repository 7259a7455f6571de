/**
 * The normalized event model. The wire format (snake_case JSON on Kinesis, see
 * wire-schemas.ts) is decoded into these camelCase shapes once, at the edge.
 * Money is integer cents; times are epoch milliseconds.
 */
export const EVENT_TYPES = [
  'product_added',
  'product_removed',
  'quantity_changed',
  'stock_adjusted',
  'reorder_point_set',
  'order_placed',
  'order_fulfilled',
  'order_cancelled',
  'order_returned',
  'restock_received',
  'alert_acknowledged',
  'product_updated',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Wire aliases accepted for `quantity_changed` (with a positive `product.quantity`). */
export const QUANTITY_ALIASES = { quantity_increment: 1, quantity_decrement: -1 } as const;

export const DEFAULT_LOCATION = 'main';
export const DEFAULT_SOURCE = 'direct';

export interface EventMeta {
  eventId: string;
  occurredAt: number;
  location: string;
  source: string;
  /** Who made the change (the API sets the signed-in user or the token's subject); absent from other producers. */
  actor?: string;
  /** Why, for manual writes (stock_adjusted carries its own, required). */
  reason?: string;
}

export interface OrderLine {
  sku: string;
  quantity: number;
  unitPriceCents?: number;
}

export interface ProductAdded extends EventMeta {
  type: 'product_added';
  sku: string;
  name: string;
  quantity: number;
  unitPriceCents?: number;
  unitCostCents?: number;
  reorderPoint?: number;
}
export interface ProductRemoved extends EventMeta {
  type: 'product_removed';
  sku: string;
  /** Units leaving stock; when absent the SKU is discontinued. */
  quantity?: number;
}
export interface QuantityChanged extends EventMeta {
  type: 'quantity_changed';
  sku: string;
  delta: number;
}
export interface StockAdjusted extends EventMeta {
  type: 'stock_adjusted';
  sku: string;
  quantity: number;
  reason: string;
}
/** Sets only the SKU's explicit reorder point at a location; stock figures are untouched. */
export interface ReorderPointSet extends EventMeta {
  type: 'reorder_point_set';
  sku: string;
  reorderPoint: number;
}
export interface OrderEvent<
  TType extends 'order_placed' | 'order_fulfilled' | 'order_cancelled' | 'order_returned',
> extends EventMeta {
  type: TType;
  orderId: string;
  lines: OrderLine[];
  /** Salted hash of the wire's `customer_id` (the id itself is never kept); counts new and returning customers. */
  customerHash?: string;
}
export interface RestockReceived extends EventMeta {
  type: 'restock_received';
  sku: string;
  quantity: number;
  unitCostCents: number;
  supplierId?: string;
}

/** Someone acknowledged a stored stock alert; it moves no stock and no sales figure. */
export interface AlertAcknowledged extends EventMeta {
  type: 'alert_acknowledged';
  /** The alert's SKU: the partition key, so the acknowledgement follows the SKU's other events. */
  sku: string;
  alertId: string;
  acknowledgedBy: string;
}

/** Catalog fields change (only those given); stock never does. */
export interface ProductUpdated extends EventMeta {
  type: 'product_updated';
  sku: string;
  name?: string;
  unitPriceCents?: number;
  unitCostCents?: number;
  category?: string;
  description?: string;
}

export type InventoryEvent =
  | ProductAdded
  | ProductRemoved
  | QuantityChanged
  | StockAdjusted
  | ReorderPointSet
  | OrderEvent<'order_placed'>
  | OrderEvent<'order_fulfilled'>
  | OrderEvent<'order_cancelled'>
  | OrderEvent<'order_returned'>
  | RestockReceived
  | AlertAcknowledged
  | ProductUpdated;

/** The SKUs an event touches, in line order. */
export function skusOf(event: InventoryEvent): string[] {
  return 'lines' in event ? event.lines.map((line) => line.sku) : [event.sku];
}

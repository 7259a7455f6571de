import {
  DEFAULT_LOCATION,
  DEFAULT_SOURCE,
  type EventMeta,
  type EventType,
  type InventoryEvent,
} from '@stockwall/contracts';
import { anEventId } from './wire-events';

/**
 * Builders for decoded events (the camelCase shapes of event-types.ts that workers fold and store),
 * for tests that start after the decoder. Each takes any of the event's own fields; the rest gets a
 * sensible default and every event a fresh id.
 */
export type InventoryEventOf<TType extends EventType> = Extract<InventoryEvent, { type: TType }>;
type Overrides<TType extends EventType> = Partial<Omit<InventoryEventOf<TType>, 'type'>>;

const DEFAULT_SKU = 'SKU-1';

function metaOf(overrides: Partial<EventMeta>): EventMeta {
  return {
    eventId: overrides.eventId ?? anEventId(),
    occurredAt: overrides.occurredAt ?? Date.now(),
    location: overrides.location ?? DEFAULT_LOCATION,
    source: overrides.source ?? DEFAULT_SOURCE,
  };
}

export function aProductAddedEvent(overrides: Overrides<'product_added'> = {}): InventoryEventOf<'product_added'> {
  const sku = overrides.sku ?? DEFAULT_SKU;
  return { ...metaOf(overrides), type: 'product_added', sku, name: sku, quantity: 10, ...overrides };
}

export function aQuantityChangedEvent(
  overrides: Overrides<'quantity_changed'> = {},
): InventoryEventOf<'quantity_changed'> {
  return { ...metaOf(overrides), type: 'quantity_changed', sku: DEFAULT_SKU, delta: -1, ...overrides };
}

export function anOrderPlacedEvent(overrides: Overrides<'order_placed'> = {}): InventoryEventOf<'order_placed'> {
  return {
    ...metaOf(overrides),
    type: 'order_placed',
    orderId: anEventId('order'),
    lines: [{ sku: DEFAULT_SKU, quantity: 1, unitPriceCents: 100 }],
    ...overrides,
  };
}

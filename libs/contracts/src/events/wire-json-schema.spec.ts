import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { EVENTS_JSON_SCHEMA_PATH, wireEventsJsonSchema } from './wire-json-schema';
import { isWireEventType, wireEventSchemas, type WireEventType } from './wire-schemas';

const AT = '2024-03-01T09:00:00Z';
const lines = [{ sku: 'SKU-1', quantity: 2, unit_price: '12.50' }];

/** One event a producer may send, per type (the README's sample first). */
const SAMPLES: Record<WireEventType, Record<string, unknown>> = {
  product_added: {
    event_type: 'product_added',
    product: { product_id: 'P98765', product_name: 'Laptop', quantity: 10, timestamp: '2023-09-11T12:00:00Z' },
  },
  product_removed: { event_type: 'product_removed', product: { product_id: 'P1', timestamp: AT } },
  quantity_changed: {
    event_type: 'quantity_changed',
    product: { product_id: 'P1', quantity_delta: -3, timestamp: AT },
  },
  quantity_increment: { event_type: 'quantity_increment', product: { product_id: 'P1', quantity: 4, timestamp: AT } },
  quantity_decrement: { event_type: 'quantity_decrement', product: { product_id: 'P1', quantity: 4, timestamp: AT } },
  stock_adjusted: { event_type: 'stock_adjusted', sku: 'P1', quantity: 7, reason: 'cycle count', location: 'north' },
  reorder_point_set: { event_type: 'reorder_point_set', sku: 'P1', reorder_point: 25 },
  order_placed: { event_type: 'order_placed', order_id: 'o-1', customer_id: 'c-1', lines, source: 'web' },
  order_fulfilled: { event_type: 'order_fulfilled', order_id: 'o-1', lines: [{ sku: 'SKU-1', quantity: 2 }] },
  order_cancelled: { event_type: 'order_cancelled', order_id: 'o-1', lines },
  order_returned: { event_type: 'order_returned', order_id: 'o-1', lines, occurred_at: AT },
  restock_received: {
    event_type: 'restock_received',
    sku: 'P1',
    quantity: 40,
    unit_cost: 3.2,
    supplier_id: 'acme',
    event_id: 'r-1',
  },
  alert_acknowledged: { event_type: 'alert_acknowledged', sku: 'P1', alert_id: 'a|1', acknowledged_by: 'ops-lead' },
  product_updated: { event_type: 'product_updated', sku: 'P1', name: 'Kettle', reason: 'rename', actor: 'ann' },
};

describe('wireEventsJsonSchema', () => {
  const sut = wireEventsJsonSchema();
  const validate = new Ajv({ strict: false }).compile(sut);

  it(`matches ${EVENTS_JSON_SCHEMA_PATH} (rerun scripts/write-events-schema.mjs after changing the wire schemas)`, () => {
    const committed: unknown = JSON.parse(
      readFileSync(path.join(__dirname, '..', '..', '..', '..', EVENTS_JSON_SCHEMA_PATH), 'utf8'),
    );
    expect(committed).toEqual(sut);
  });

  it('has one definition per event type the decoder reads', () => {
    expect(Object.keys(sut.definitions as object).sort()).toEqual(Object.keys(wireEventSchemas).sort());
    expect(Object.keys(SAMPLES).every(isWireEventType)).toBe(true);
  });

  it.each(Object.entries(SAMPLES))('accepts a %s the decoder accepts, unknown keys included', (type, event) => {
    expect(wireEventSchemas[type as WireEventType].safeParse(event).success).toBe(true);
    expect(validate(event)).toBe(true);
    expect(validate({ ...event, channel_note: 'dropped by the decoder' })).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ['an unknown event_type', { ...SAMPLES.reorder_point_set, event_type: 'reorder_point_changed' }],
    ['a missing field', { event_type: 'reorder_point_set', sku: 'P1' }],
    ['a negative quantity', { ...SAMPLES.stock_adjusted, quantity: -1 }],
    ['a fractional quantity', { ...SAMPLES.stock_adjusted, quantity: 1.5 }],
    ['an empty order', { ...SAMPLES.order_placed, lines: [] }],
    ['an order line without its price', { ...SAMPLES.order_placed, lines: [{ sku: 'SKU-1', quantity: 2 }] }],
    ['a bad location code', { ...SAMPLES.reorder_point_set, location: '-north' }],
    ['a product_updated that changes nothing', { event_type: 'product_updated', sku: 'P1' }],
  ])('refuses %s, as the decoder does', (_name, event) => {
    const type = event.event_type as string;
    if (isWireEventType(type)) expect(wireEventSchemas[type].safeParse(event).success).toBe(false);
    expect(validate(event)).toBe(false);
  });
});

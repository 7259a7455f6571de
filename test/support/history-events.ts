import type { WireEvent } from '@stockwall/contracts';

/** A builder for a small, fully known day of trade: two SKUs, two sources, sales across three minutes. */
export function historyDay(prefix: string, day = '2024-03-01'): WireEvent[] {
  const at = (time: string) => `${day}T${time}Z`;
  const id = (name: string) => `${prefix}-${name}`;
  const a = `${prefix}-A`;
  const b = `${prefix}-B`;
  return [
    {
      event_type: 'product_added',
      event_id: id('add-a'),
      product: {
        product_id: a,
        product_name: 'Flat white',
        quantity: 10,
        timestamp: at('09:00:00'),
        unit_price: 2.5,
        unit_cost: 1,
        reorder_point: 5,
      },
    },
    {
      event_type: 'product_added',
      event_id: id('add-b'),
      product: {
        product_id: b,
        product_name: 'Croissant',
        quantity: 20,
        timestamp: at('09:00:01'),
        unit_price: 1.8,
        unit_cost: 0.6,
      },
    },
    {
      event_type: 'restock_received',
      event_id: id('restock-a'),
      occurred_at: at('09:00:10'),
      sku: a,
      quantity: 10,
      unit_cost: 2.01,
    },
    {
      event_type: 'order_placed',
      event_id: id('o1-placed'),
      occurred_at: at('09:00:20'),
      source: 'web',
      order_id: id('o1'),
      lines: [
        { sku: a, quantity: 3, unit_price: 2.5 },
        { sku: b, quantity: 2, unit_price: 1.8 },
      ],
    },
    {
      event_type: 'order_fulfilled',
      event_id: id('o1-shipped'),
      occurred_at: at('09:00:40'),
      source: 'web',
      order_id: id('o1'),
      lines: [
        { sku: a, quantity: 3 },
        { sku: b, quantity: 2 },
      ],
    },
    {
      event_type: 'order_placed',
      event_id: id('o2-placed'),
      occurred_at: at('09:01:05'),
      source: 'chesterfield',
      order_id: id('o2'),
      lines: [{ sku: a, quantity: 14, unit_price: 2.4 }],
    },
    {
      event_type: 'order_fulfilled',
      event_id: id('o2-shipped'),
      occurred_at: at('09:01:30'),
      source: 'chesterfield',
      order_id: id('o2'),
      lines: [{ sku: a, quantity: 14 }],
    },
    {
      event_type: 'order_returned',
      event_id: id('o1-returned'),
      occurred_at: at('09:02:10'),
      source: 'web',
      order_id: id('o1'),
      lines: [{ sku: a, quantity: 1 }],
    },
    {
      event_type: 'order_placed',
      event_id: id('o3-placed'),
      occurred_at: at('09:02:30'),
      source: 'web',
      order_id: id('o3'),
      lines: [{ sku: b, quantity: 1, unit_price: 1.8 }],
    },
    {
      event_type: 'order_cancelled',
      event_id: id('o3-cancelled'),
      occurred_at: at('09:02:50'),
      source: 'web',
      order_id: id('o3'),
      lines: [{ sku: b, quantity: 1, unit_price: 1.8 }],
    },
  ];
}

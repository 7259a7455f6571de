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

/**
 * A replay-like stream: `skus` products, then orders placed and fulfilled, restocks and returns
 * spread over event time (one minute per 50 events), deterministic for a seed.
 */
export function tradingStream(prefix: string, count: number, skus = 20, start = Date.UTC(2024, 4, 1, 8)): WireEvent[] {
  let seed = 7;
  const random = (below: number) => (seed = (seed * 48_271) % 2_147_483_647) % below;
  const at = (index: number) => new Date(start + index * 1_200).toISOString();
  const sku = (index: number) => `${prefix}-${index}`;
  const events: WireEvent[] = [];
  for (let index = 0; index < skus; index++) {
    events.push({
      event_type: 'product_added',
      event_id: `${prefix}-add-${index}`,
      product: {
        product_id: sku(index),
        product_name: `Item ${index}`,
        quantity: 500,
        timestamp: at(0),
        unit_price: 3.2,
        unit_cost: 1.15,
      },
    });
  }
  const sources = ['web', 'chesterfield', 'leeds'];
  for (let index = events.length; index < count; index++) {
    const kind = random(10);
    const line = { sku: sku(random(skus)), quantity: 1 + random(4) };
    const common = { event_id: `${prefix}-e${index}`, occurred_at: at(index), source: sources[random(3)] };
    if (kind < 5) {
      events.push({
        ...common,
        event_type: 'order_placed',
        order_id: `${prefix}-o${index}`,
        lines: [{ ...line, unit_price: 3.2 }],
      });
      events.push({
        ...common,
        event_id: `${prefix}-f${index}`,
        event_type: 'order_fulfilled',
        order_id: `${prefix}-o${index}`,
        lines: [line],
      });
      index++;
    } else if (kind < 8) {
      events.push({
        ...common,
        event_type: 'restock_received',
        sku: line.sku,
        quantity: 5 + random(20),
        unit_cost: 1 + random(50) / 100,
      });
    } else {
      events.push({ ...common, event_type: 'order_returned', order_id: `${prefix}-r${index}`, lines: [line] });
    }
  }
  return events;
}

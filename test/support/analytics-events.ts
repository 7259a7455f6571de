import type { WireEvent } from '@stockwall/contracts';

/** Customer ids of analyticsWeek: distinctive, so a search of MySQL for them proves they are not stored. */
export const ANALYTICS_CUSTOMERS = ['cust-raw-7f3a91', 'cust-raw-c20b44'] as const;

/**
 * Two stores over two summer days (London is UTC+1), every figure known by hand:
 * - leeds: A, 10 on hand at 2.00, sold out by o1 (10 × 5.00, customer 1) at 10:00 on 1 July, restocked with
 *   10 at 2.00 from supplier acme at 06:00 on 2 July, then o3 (2 × 5.00, customer 1 again) at 12:00, and given a reorder point of 9;
 * - york: B, 4 on hand at 1.00, o2 (1 × 3.00, customer 2) at 23:30 UTC on 1 July, which is 2 July in London.
 */
export function analyticsWeek(prefix: string): WireEvent[] {
  const [first, second] = ANALYTICS_CUSTOMERS;
  const a = `${prefix}-A`;
  const b = `${prefix}-B`;
  const leeds = { source: 'leeds', location: 'leeds' };
  const york = { source: 'york', location: 'york' };
  const sale = (
    id: string,
    store: typeof leeds,
    at: string,
    customer: string,
    sku: string,
    quantity: number,
    price: number,
  ) => [
    {
      event_type: 'order_placed' as const,
      event_id: `${prefix}-${id}-placed`,
      occurred_at: at,
      ...store,
      order_id: `${prefix}-${id}`,
      customer_id: customer,
      lines: [{ sku, quantity, unit_price: price }],
    },
    {
      event_type: 'order_fulfilled' as const,
      event_id: `${prefix}-${id}-shipped`,
      occurred_at: at,
      ...store,
      order_id: `${prefix}-${id}`,
      lines: [{ sku, quantity }],
    },
  ];
  return [
    {
      event_type: 'product_added',
      event_id: `${prefix}-add-a`,
      ...leeds,
      product: {
        product_id: a,
        product_name: 'Mug',
        quantity: 10,
        timestamp: '2024-07-01T00:00:00Z',
        unit_price: 5,
        unit_cost: 2,
      },
    },
    {
      event_type: 'product_added',
      event_id: `${prefix}-add-b`,
      ...york,
      product: {
        product_id: b,
        product_name: 'Tea',
        quantity: 4,
        timestamp: '2024-07-01T00:00:00Z',
        unit_price: 3,
        unit_cost: 1,
      },
    },
    ...sale('o1', leeds, '2024-07-01T10:00:00Z', first, a, 10, 5),
    ...sale('o2', york, '2024-07-01T23:30:00Z', second, b, 1, 3),
    {
      event_type: 'restock_received',
      event_id: `${prefix}-restock-a`,
      occurred_at: '2024-07-02T06:00:00Z',
      ...leeds,
      sku: a,
      quantity: 10,
      unit_cost: 2,
      supplier_id: 'acme',
    },
    ...sale('o3', leeds, '2024-07-02T12:00:00Z', first, a, 2, 5),
    {
      event_type: 'reorder_point_set',
      event_id: `${prefix}-reorder-a`,
      occurred_at: '2024-07-02T12:30:00Z',
      ...leeds,
      sku: a,
      reorder_point: 9,
    },
  ];
}

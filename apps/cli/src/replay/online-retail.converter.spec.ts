import { OnlineRetailConverter } from './online-retail.converter';
import { DEFAULT_REPLAY_OPTIONS } from './replay-types';

const row = (
  invoice: string,
  code: string,
  quantity: number,
  price: string,
  customer = '17850.0',
  description = 'MUG',
) => [invoice, code, description, String(quantity), '2011-01-04 10:00:00', price, customer, 'United Kingdom'];

function convert(rows: string[][], file = '/data/by-day/2011-01-04.csv') {
  const sut = new OnlineRetailConverter(DEFAULT_REPLAY_OPTIONS);
  const rejected: string[] = [];
  const events = rows.flatMap((fields, index) => {
    const result = sut.convert(fields, { file, line: index + 2 });
    if (typeof result === 'string') {
      rejected.push(result);
      return [];
    }
    return result;
  });
  return { events: [...events, ...sut.flush()], rejected };
}

describe(OnlineRetailConverter.name, () => {
  it('turns an invoice into product additions (with the cost model) and one shipped order', () => {
    const { events } = convert([row('536365', '85123A', 6, '2.55'), row('536365', '71053', 6, '3.39')]);
    expect(events.map((event) => event.event_type)).toEqual([
      'product_added',
      'product_added',
      'order_placed',
      'order_fulfilled',
    ]);
    expect(events[0]).toMatchObject({
      event_id: 'or-added-85123A',
      occurred_at: '2011-01-04T10:00:00Z',
      source: 'United Kingdom',
      product: { quantity: 100, unit_price: '2.55', unit_cost: '1.53', reorder_point: 10 },
    });
    expect(events[2]).toMatchObject({
      event_id: expect.stringMatching(/^or-536365-[0-9a-f]{12}-placed$/),
      customer_id: '17850',
      lines: [
        { sku: '85123A', quantity: 6, unit_price: '2.55' },
        { sku: '71053', quantity: 6, unit_price: '3.39' },
      ],
    });
  });

  it('makes C invoices returns, unpriced negatives write-offs and unpriced positives without a customer found stock', () => {
    const { events } = convert([
      row('C536379', '85123A', -2, '2.55'),
      row('536380', '85123A', -5, '0', '', ''),
      row('536381', '85123A', 3, '0', '', 'found'),
    ]);
    expect(
      events
        .slice(1)
        .map((event) => [
          event.event_type,
          'lines' in event ? event.lines[0].quantity : (event as any).product.quantity_delta,
        ]),
    ).toEqual([
      ['order_returned', 2],
      ['quantity_changed', -5],
      ['quantity_changed', 3],
    ]);
  });

  it('rejects non-product codes and bad-debt adjustments, and keeps duplicate lines as two', () => {
    const { events, rejected } = convert([
      row('536365', 'POST', 1, '18.00'),
      row('A563185', 'B', 1, '11062.06'),
      row('536366', '22633', 6, '1.85'),
      row('536366', '22633', 6, '1.85'),
    ]);
    expect(rejected).toEqual(['non_product_code', 'bad_debt_adjustment']);
    const placed = events.find((event) => event.event_type === 'order_placed');
    expect(placed && 'lines' in placed ? placed.lines : []).toHaveLength(2);
  });

  it('gives the same event ids on a second import of the same rows, from a file moved and renamed', () => {
    const rows = [row('536365', '85123A', 6, '2.55'), row('536380', '85123A', -5, '0', '', '')];
    const first = convert(rows).events.map((event) => event.event_id);
    const again = convert(rows).events.map((event) => event.event_id);
    const moved = convert(rows, '/backup/january/day-4.csv').events.map((event) => event.event_id);
    expect(first).toHaveLength(4);
    expect(again).toEqual(first);
    expect(moved).toEqual(first);
  });

  it('does not add again a SKU the live state already holds at main, nor count it as new', () => {
    const sut = new OnlineRetailConverter(DEFAULT_REPLAY_OPTIONS);
    sut.markDefined('85123A', 'main');
    sut.markDefined('71053', 'north');
    const rows = [row('536365', '85123A', 6, '2.55'), row('536365', '71053', 6, '3.39')];
    const events = [
      ...rows.flatMap(
        (fields, index) => sut.convert(fields, { file: '/data/2011-01-04.csv', line: index + 2 }) as object[],
      ),
      ...sut.flush(),
    ];
    expect(events.map((event) => ('event_id' in event ? event.event_id : ''))).toEqual([
      'or-added-71053',
      expect.stringMatching(/^or-536365-[0-9a-f]{12}-placed$/),
      expect.stringMatching(/^or-536365-[0-9a-f]{12}-shipped$/),
    ]);
  });
});

import { CafeConverter, parseBasket } from './cafe.converter';
import { DEFAULT_REPLAY_OPTIONS } from './replay-types';

describe(CafeConverter.name, () => {
  it('parses baskets whose item names contain " - " by taking the price after the last one', () => {
    expect(parseBasket('Large Flat white - 2.45, Regular Flavoured latte - Hazelnut - 2.55')).toEqual([
      { sku: 'large-flat-white', name: 'Large Flat white', priceCents: 245 },
      { sku: 'regular-flavoured-latte-hazelnut', name: 'Regular Flavoured latte - Hazelnut', priceCents: 255 },
    ]);
    expect(parseBasket('Large,Latte,2.45')).toBeNull();
  });

  it('never puts the customer name or card number in an event', () => {
    const sut = new CafeConverter(DEFAULT_REPLAY_OPTIONS);
    const events = sut.convert(
      [
        '01/09/2021 09:03',
        'Birmingham',
        'James Owens',
        'Large Red Label tea - 1.80',
        '1.8',
        'CARD',
        '5416973159041271',
      ],
      { file: 'birmingham_01-09-2021_09-00-00', line: 2 },
    );
    expect(Array.isArray(events)).toBe(true);
    const text = JSON.stringify(events);
    expect(text).not.toMatch(/James|Owens|5416973159041271|CARD/);
    expect(events).toEqual([
      expect.objectContaining({ event_type: 'product_added', location: 'Birmingham' }),
      expect.objectContaining({
        event_type: 'order_placed',
        occurred_at: '2021-09-01T09:03:00Z',
        source: 'Birmingham',
      }),
      expect.objectContaining({
        event_type: 'order_fulfilled',
        event_id: 'cafe-birmingham_01-09-2021_09-00-00-2-shipped',
      }),
    ]);
  });

  it('rejects the header row, the legacy layout and totals that do not add up', () => {
    const sut = new CafeConverter(DEFAULT_REPLAY_OPTIONS);
    const origin = { file: 'x', line: 1 };
    expect(sut.convert(['Timestamp', 'Location', 'Customer Name', 'Items', 'Total', 'Payment', 'Card'], origin)).toBe(
      'header',
    );
    expect(
      sut.convert(['2021-02-23 09:01:45', 'Isle of Wight', 'W', 'Large,Latte,2.45', 'CARD', '2.45', 'x'], origin),
    ).toBe('bad_date');
    expect(sut.convert(['01/09/2021 09:03', 'Leeds', 'N', 'Large Latte - 2.45', '3.00', 'CASH', ''], origin)).toBe(
      'total_mismatch',
    );
  });

  it('does not add again a SKU the live state already holds at that branch', () => {
    const sut = new CafeConverter(DEFAULT_REPLAY_OPTIONS);
    sut.markDefined('large-red-label-tea', 'Birmingham');
    sut.markDefined('regular-cortado', 'Leeds');
    const events = sut.convert(
      [
        '01/09/2021 09:03',
        'Birmingham',
        'James Owens',
        'Large Red Label tea - 1.80, Regular Cortado - 2.05',
        '3.85',
        'CASH',
        '',
      ],
      { file: 'birmingham_01-09-2021_09-00-00', line: 2 },
    );
    expect(Array.isArray(events) && events.map((event) => event.event_id)).toEqual([
      'cafe-added-birmingham-regular-cortado',
      'cafe-birmingham_01-09-2021_09-00-00-2-placed',
      'cafe-birmingham_01-09-2021_09-00-00-2-shipped',
    ]);
  });
});

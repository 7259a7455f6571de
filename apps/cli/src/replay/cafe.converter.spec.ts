import { LIMITS } from '@stockwall/contracts';
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
        event_id: expect.stringMatching(/^cafe-birmingham-202109010903-[0-9a-f]{12}-shipped$/),
      }),
    ]);
  });

  const sale = (name: string, card: string, payment = 'CARD') => [
    '25/08/2021 09:02',
    'Chesterfield',
    name,
    'Regular Flavoured iced latte - Caramel - 2.75',
    '2.75',
    payment,
    card,
  ];
  const ids = (events: ReturnType<CafeConverter['convert']>) =>
    Array.isArray(events) ? events.filter((event) => event.event_type !== 'product_added').map((e) => e.event_id) : [];

  it('gives a sale the same ids wherever its file lies and whatever it is called', () => {
    const first = new CafeConverter(DEFAULT_REPLAY_OPTIONS).convert(sale('Jeffrey Abshire', '4617599796496959'), {
      file: '/data/cafe/branches/chesterfield_25-08-2021_09-00-00.csv',
      line: 2,
    });
    const moved = new CafeConverter(DEFAULT_REPLAY_OPTIONS).convert(sale('Jeffrey Abshire', '4617599796496959'), {
      file: '/elsewhere/renamed.csv',
      line: 9,
    });
    expect(ids(first)).toHaveLength(2);
    expect(ids(moved)).toEqual(ids(first));
  });

  it('tells identical rows of one file apart by their occurrence, and hashes no name or card number', () => {
    const sut = new CafeConverter(DEFAULT_REPLAY_OPTIONS);
    const origin = { file: '/data/x.csv', line: 2 };
    const first = ids(sut.convert(sale('Jeffrey Abshire', '4617599796496959'), origin));
    // Another customer buying the same at the same minute: identical in every field the identity reads.
    const second = ids(sut.convert(sale('Brian Miner', '5494173772652516'), { ...origin, line: 3 }));
    const byCash = ids(sut.convert(sale('Brian Miner', '', 'CASH'), { ...origin, line: 4 }));
    expect(second).toEqual(first.map((id) => id?.replace(/-(placed|shipped)$/, '-2-$1')));
    expect(byCash).not.toContain(first[0]);
    expect(new Set([...first, ...second, ...byCash]).size).toBe(6);
  });

  it('keeps ids within the wire limit for the longest store name', () => {
    const sut = new CafeConverter(DEFAULT_REPLAY_OPTIONS);
    const store = 'S'.repeat(64);
    const row = sale('N', '', 'CASH');
    row[1] = store;
    for (let line = 1; line <= 12; line++) {
      for (const id of ids(sut.convert(row, { file: '/x.csv', line }))) {
        expect(id?.length).toBeLessThanOrEqual(LIMITS.maxIdLength);
      }
    }
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
      expect.stringMatching(/^cafe-birmingham-202109010903-[0-9a-f]{12}-placed$/),
      expect.stringMatching(/^cafe-birmingham-202109010903-[0-9a-f]{12}-shipped$/),
    ]);
  });
});

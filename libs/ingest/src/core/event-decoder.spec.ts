import { decodeEventRecord, DecodeResult } from './event-decoder';

const context = {
  shardId: 'shardId-000000000001',
  position: { sequenceNumber: '49590338271490256608559692538361571095921575989136588898', subSequence: 0 },
  // After every event time below but one, which is far ahead of it.
  arrivalTime: Date.parse('2024-06-01T00:00:00Z'),
};
const options = { maxEventBytes: 4096 };

function decode(body: unknown): DecodeResult {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return decodeEventRecord(new TextEncoder().encode(text), context, options);
}

function expectEvent(body: unknown) {
  const result = decode(body);
  if (!result.ok) throw new Error(`expected an event, got ${result.reason}: ${result.detail}`);
  return result.event;
}

function expectRejected(body: unknown, reason: string, detail?: RegExp) {
  const result = decode(body);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.reason).toBe(reason);
  if (detail) expect(result.detail).toMatch(detail);
}

describe(decodeEventRecord.name, () => {
  it('keeps who made a change and why (trimmed, a card number in the reason redacted), and refuses control characters in them', () => {
    const event = expectEvent({
      event_type: 'quantity_changed',
      actor: ' ann@example.com ',
      reason: 'refund to card 4111 1111 1111 1111',
      product: { product_id: 'A1', quantity_delta: -2, timestamp: '2024-05-01T10:00:00Z' },
    });
    expect(event).toMatchObject({ actor: 'ann@example.com', reason: expect.not.stringContaining('4111 1111') });
    expect(event.reason).toMatch(/^refund to card /);
    const adjusted = expectEvent({
      event_type: 'stock_adjusted',
      sku: 'A1',
      quantity: 3,
      reason: 'count',
      actor: 'bo',
    });
    expect(adjusted).toMatchObject({ actor: 'bo', reason: 'count' });
    expectRejected(
      { event_type: 'stock_adjusted', sku: 'A1', quantity: 3, reason: 'count', actor: 'a\u0007b' },
      'invalid_event',
      /actor/,
    );
    expectRejected(
      { event_type: 'restock_received', sku: 'A1', quantity: 1, unit_cost: 1, reason: 'r'.repeat(257) },
      'invalid_event',
      /reason/,
    );
  });

  it('accepts the sample event of the design verbatim', () => {
    const sample = `{"event_type": "product_added",
 "product": {"product_id": "P98765", "product_name": "Laptop", "quantity": 10,
             "timestamp": "2023-09-11T12:00:00Z"}}`;
    const event = expectEvent(sample);
    expect(event).toEqual({
      type: 'product_added',
      eventId: `${context.shardId}-${context.position.sequenceNumber}-0`,
      occurredAt: Date.parse('2023-09-11T12:00:00Z'),
      location: 'main',
      source: 'direct',
      sku: 'P98765',
      name: 'Laptop',
      quantity: 10,
      unitPriceCents: undefined,
      unitCostCents: undefined,
      reorderPoint: undefined,
    });
  });

  it('keeps the producer event id, location, source and event time', () => {
    const event = expectEvent({
      event_type: 'stock_adjusted',
      event_id: 'evt-1',
      occurred_at: '2024-05-01T10:00:00.250Z',
      location: 'north',
      source: 'web',
      sku: 'A1',
      quantity: 7,
      reason: 'cycle count',
    });
    expect(event).toMatchObject({
      eventId: 'evt-1',
      location: 'north',
      source: 'web',
      occurredAt: Date.parse('2024-05-01T10:00:00.250Z'),
    });
  });

  it('falls back to the arrival time when the event carries no time', () => {
    const event = expectEvent({ event_type: 'stock_adjusted', sku: 'A1', quantity: 7, reason: 'count' });
    expect(event.occurredAt).toBe(context.arrivalTime);
  });

  it('decodes every event type of the contract', () => {
    const time = '2024-01-02T03:04:05Z';
    const lines = [{ sku: 'A1', quantity: 2, unit_price: '9.99' }];
    const cases: [unknown, object][] = [
      [
        { event_type: 'product_removed', product: { product_id: 'A1', timestamp: time } },
        { type: 'product_removed', sku: 'A1', quantity: undefined },
      ],
      [
        { event_type: 'product_removed', product: { product_id: 'A1', timestamp: time, quantity: 3 } },
        { type: 'product_removed', quantity: 3 },
      ],
      [
        { event_type: 'quantity_changed', product: { product_id: 'A1', quantity_delta: -4, timestamp: time } },
        { type: 'quantity_changed', delta: -4 },
      ],
      [
        { event_type: 'quantity_increment', product: { product_id: 'A1', quantity: 4, timestamp: time } },
        { type: 'quantity_changed', delta: 4 },
      ],
      [
        { event_type: 'quantity_decrement', product: { product_id: 'A1', quantity: 4, timestamp: time } },
        { type: 'quantity_changed', delta: -4 },
      ],
      [
        { event_type: 'order_placed', order_id: 'O1', lines },
        { type: 'order_placed', orderId: 'O1', lines: [{ sku: 'A1', quantity: 2, unitPriceCents: 999 }] },
      ],
      [
        { event_type: 'order_fulfilled', order_id: 'O1', lines: [{ sku: 'A1', quantity: 2 }] },
        { type: 'order_fulfilled', lines: [{ sku: 'A1', quantity: 2, unitPriceCents: undefined }] },
      ],
      [{ event_type: 'order_cancelled', order_id: 'O1', lines }, { type: 'order_cancelled' }],
      [{ event_type: 'order_returned', order_id: 'O1', lines }, { type: 'order_returned' }],
      [
        { event_type: 'restock_received', sku: 'A1', quantity: 10, unit_cost: 4.2, supplier_id: 'S1' },
        { type: 'restock_received', unitCostCents: 420, supplierId: 'S1' },
      ],
      [
        { event_type: 'reorder_point_set', sku: ' A1 ', reorder_point: 12, location: 'north' },
        { type: 'reorder_point_set', sku: 'A1', reorderPoint: 12, location: 'north' },
      ],
    ];
    for (const [body, expected] of cases) expect(expectEvent(body)).toMatchObject(expected);
  });

  it('parses money exactly to the cent', () => {
    const event = expectEvent({
      event_type: 'product_added',
      product: {
        product_id: 'A',
        product_name: 'A',
        quantity: 1,
        timestamp: '2024-01-01T00:00:00Z',
        unit_price: 0.29,
        unit_cost: '1.005',
      },
    });
    expect(event).toMatchObject({ unitPriceCents: 29, unitCostCents: 101 });
  });

  it.each([
    ['{not json', 'not_json'],
    ['[1,2]', 'not_an_object'],
    ['"text"', 'not_an_object'],
    ['null', 'not_an_object'],
  ])('rejects %s as %s', (body, reason) => expectRejected(body, reason));

  it('dead-letters an order whose totals are out of bounds though every line is valid', () => {
    // Lines of one SKU, each at the largest quantity a single line may carry.
    const flood = Array.from({ length: 40 }, () => ({ sku: 'A', quantity: 10_000_000, unit_price: '0.01' }));
    expectRejected(
      { event_type: 'order_placed', order_id: 'O', lines: flood },
      'invalid_event',
      /^lines: quantities over all lines must add up to at most 10000000$/,
    );
    // 9,000,000 × 99,999,999.99: beyond 2^53 cents.
    expectRejected(
      {
        event_type: 'order_placed',
        order_id: 'O',
        lines: [{ sku: 'A', quantity: 9_000_000, unit_price: '99999999.99' }],
      },
      'invalid_event',
      /^lines: quantity × unit_price over all lines must add up to at most 10000000000\.00$/,
    );
    expectRejected(
      { event_type: 'restock_received', sku: 'A', quantity: 10_000_000, unit_cost: '99999999.99' },
      'invalid_event',
      /^quantity: quantity × unit_cost must be at most/,
    );
  });

  describe('event times ahead of the record', () => {
    const adjusted = (time: Record<string, string>) => ({
      event_type: 'stock_adjusted',
      sku: 'A1',
      quantity: 7,
      reason: 'count',
      ...time,
    });

    it("dead-letters a typo'd year as invalid_event, naming occurred_at", () => {
      expectRejected(
        adjusted({ occurred_at: '2094-01-01T09:30:00Z' }),
        'invalid_event',
        /^occurred_at: 2094-01-01T09:30:00\.000Z is more than 86400 s ahead of the record's arrival at 2024-06-01T00:00:00\.000Z$/,
      );
    });

    it.each([
      ['2204-01-01T09:30:00Z', /between 1970 and 2100/],
      ['0000-01-01T00:00:00Z', /between 1970 and 2100/],
      ['2026-02-31T00:00:00Z', /no such day/],
      ['2023-02-29T00:00:00Z', /no such day/],
      ['2024-13-01T00:00:00Z', /no such month/],
      ['2024-06-01T24:00:00Z', /no such time of day/],
      ['2024-06-01T10:00:00+99:99', /offset between/],
    ])('dead-letters %s, which is no real date-time within bounds', (occurredAt, reason) => {
      expectRejected(adjusted({ occurred_at: occurredAt }), 'invalid_event', reason);
    });

    it('accepts 29 February of a leap year', () => {
      const body = new TextEncoder().encode(JSON.stringify(adjusted({ occurred_at: '2024-02-29T12:00:00Z' })));
      expect(decodeEventRecord(body, { ...context, arrivalTime: 0 }, options).ok).toBe(true);
    });

    it('names the product timestamp when that is the event time', () => {
      expectRejected(
        {
          event_type: 'product_added',
          product: { product_id: 'A', product_name: 'A', quantity: 1, timestamp: '2025-01-01T00:00:00Z' },
        },
        'invalid_event',
        /^product\.timestamp: 2025-01-01/,
      );
    });

    it('accepts times up to the margin ahead, and any time in the past', () => {
      expect(expectEvent(adjusted({ occurred_at: '2024-06-02T00:00:00Z' })).occurredAt).toBe(
        context.arrivalTime + 86_400_000,
      );
      expectRejected(adjusted({ occurred_at: '2024-06-02T00:00:00.001Z' }), 'invalid_event', /occurred_at/);
      expect(expectEvent(adjusted({ occurred_at: '2010-12-01T08:26:00Z' })).occurredAt).toBe(
        Date.parse('2010-12-01T08:26:00Z'),
      );
    });

    it('takes the margin from the options', () => {
      const body = new TextEncoder().encode(JSON.stringify(adjusted({ occurred_at: '2024-06-01T02:00:00Z' })));
      expect(decodeEventRecord(body, context, { ...options, maxEventTimeAheadMs: 3_600_000 })).toMatchObject({
        ok: false,
        reason: 'invalid_event',
        detail: expect.stringMatching(/^occurred_at: .* more than 3600 s ahead/),
      });
      expect(decodeEventRecord(body, context, { ...options, maxEventTimeAheadMs: 7_200_000 }).ok).toBe(true);
    });

    it('skips the check where no arrival time is known (offline decoding)', () => {
      const body = new TextEncoder().encode(JSON.stringify(adjusted({ occurred_at: '2094-01-01T09:30:00Z' })));
      expect(decodeEventRecord(body, { ...context, arrivalTime: 0 }, options).ok).toBe(true);
    });
  });

  it('rejects bytes that are not UTF-8', () => {
    const result = decodeEventRecord(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), context, options);
    expect(result).toMatchObject({ ok: false, reason: 'not_utf8' });
  });

  it('rejects records above the size limit', () => {
    const result = decodeEventRecord(new Uint8Array(5000).fill(32), context, options);
    expect(result).toMatchObject({ ok: false, reason: 'too_large' });
  });

  it('rejects unknown and missing event types', () => {
    expectRejected({ event_type: 'price_changed', sku: 'A' }, 'unknown_event_type', /price_changed/);
    expectRejected({ sku: 'A' }, 'invalid_event', /event_type/);
  });

  it('names the field that is missing or mistyped', () => {
    expectRejected(
      { event_type: 'product_added', product: { product_id: 'A', quantity: 1, timestamp: '2024-01-01T00:00:00Z' } },
      'invalid_event',
      /product\.product_name/,
    );
    expectRejected(
      { event_type: 'stock_adjusted', sku: 'A', quantity: -1, reason: 'x' },
      'invalid_event',
      /quantity: must not be negative/,
    );
    expectRejected({ event_type: 'stock_adjusted', sku: 'A', quantity: '5', reason: 'x' }, 'invalid_event', /quantity/);
    expectRejected(
      { event_type: 'stock_adjusted', sku: 'A', quantity: 1.5, reason: 'x' },
      'invalid_event',
      /whole number/,
    );
    expectRejected(
      { event_type: 'stock_adjusted', sku: 'A', quantity: 1e12, reason: 'x' },
      'invalid_event',
      /quantity/,
    );
    expectRejected(
      { event_type: 'restock_received', sku: 'A', quantity: 1, unit_cost: 'abc' },
      'invalid_event',
      /unit_cost/,
    );
    expectRejected({ event_type: 'order_placed', order_id: 'O', lines: [] }, 'invalid_event', /lines/);
    expectRejected(
      { event_type: 'order_placed', order_id: 'O', lines: [{ sku: 'A', quantity: 1 }] },
      'invalid_event',
      /unit_price/,
    );
    expectRejected(
      { event_type: 'stock_adjusted', sku: 'A', quantity: 1, reason: 'x', occurred_at: 'yesterday' },
      'invalid_event',
      /occurred_at/,
    );
    expectRejected(
      { event_type: 'stock_adjusted', sku: 'A', quantity: 1, reason: 'x', location: 'a/b' },
      'invalid_event',
      /location/,
    );
  });
});

import fc from 'fast-check';
import { LATEST_INSTANT_MS, LIMITS } from '@stockwall/contracts';
import { DEAD_LETTER_REASONS, decodeEventRecord } from './event-decoder';
import { REDACTED } from './personal-data';

const arrivalTime = Date.parse('2024-06-01T00:00:00Z');
const context = { shardId: 'shardId-000000000001', position: { sequenceNumber: '1', subSequence: 0 }, arrivalTime };
const options = { maxEventBytes: 65_536 };
const encode = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

const sku = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/);
/** Event times from 2000 up to the record's arrival. */
const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: arrivalTime }).map((time) => new Date(time).toISOString());

const goodEvent = fc.oneof(
  fc.record({
    event_type: fc.constant('product_added'),
    product: fc.record({
      product_id: sku,
      product_name: fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,30}$/),
      quantity: fc.integer({ min: 0, max: 10_000 }),
      timestamp: instant,
    }),
  }),
  fc.record({
    event_type: fc.constant('quantity_changed'),
    product: fc.record({ product_id: sku, quantity_delta: fc.integer({ min: -500, max: 500 }), timestamp: instant }),
  }),
  fc.record({
    event_type: fc.constant('stock_adjusted'),
    occurred_at: instant,
    sku,
    quantity: fc.integer({ min: 0, max: 10_000 }),
    reason: fc.string({ minLength: 1, maxLength: 60 }).filter((text) => text.trim().length > 0),
  }),
  fc.record({
    event_type: fc.constant('order_placed'),
    occurred_at: instant,
    order_id: sku,
    lines: fc.array(
      fc.record({
        sku,
        quantity: fc.integer({ min: 1, max: 50 }),
        unit_price: fc.integer({ min: 0, max: 500 }).map(String),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  }),
);

/** A good event with one field replaced by anything, or removed. */
const mutatedEvent = fc
  .tuple(goodEvent, fc.nat(), fc.option(fc.anything(), { nil: undefined }))
  .map(([event, pick, value]) => {
    const copy = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
    const target = (copy.product as Record<string, unknown> | undefined) ?? copy;
    const keys = Object.keys(target);
    const key = keys[pick % keys.length];
    if (value === undefined) delete target[key];
    else target[key] = value;
    return copy;
  });

function expectNeverThrows(bytes: Uint8Array) {
  const result = decodeEventRecord(bytes, context, options);
  if (result.ok) {
    expect(result.event.occurredAt).toBeGreaterThanOrEqual(0);
    expect(result.event.occurredAt).toBeLessThan(LATEST_INSTANT_MS);
  } else {
    expect(DEAD_LETTER_REASONS).toContain(result.reason);
    expect(result.detail.length).toBeGreaterThan(0);
  }
  return result;
}

describe(`${decodeEventRecord.name} (properties)`, () => {
  it('accepts every well-formed event, keeping its SKU and time', () => {
    fc.assert(
      fc.property(goodEvent, (event) => {
        const result = decodeEventRecord(encode(event), context, options);
        if (!result.ok) throw new Error(`${result.reason}: ${result.detail}`);
        const time = 'product' in event ? event.product.timestamp : event.occurred_at;
        expect(result.event.occurredAt).toBe(Date.parse(time));
        expect(result.event.type).toBe(event.event_type);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on any bytes, and says why it refuses with a known reason', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => void expectNeverThrows(bytes)),
      { numRuns: 1_000 },
    );
  });

  it('never throws on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => void expectNeverThrows(encode(value))),
      { numRuns: 1_000 },
    );
  });

  it('never throws on an event with one field changed to anything or removed', () => {
    fc.assert(
      fc.property(mutatedEvent, (event) => {
        let text: string;
        try {
          text = JSON.stringify(event);
        } catch {
          return; // a BigInt or a cycle: no record could carry it
        }
        if (text !== undefined) expectNeverThrows(encode(text));
      }),
      { numRuns: 1_000 },
    );
  });

  it('refuses any event time that is no real date-time between 1970 and 2100', () => {
    const badTime = fc.oneof(
      fc.string(),
      fc
        .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
        .map(
          ([year, month, day]) =>
            `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T00:00:00Z`,
        ),
    );
    fc.assert(
      fc.property(badTime, sku, (time, id) => {
        const result = expectNeverThrows(
          encode({ event_type: 'quantity_changed', product: { product_id: id, quantity_delta: 1, timestamp: time } }),
        );
        const parts = /^(\d{4})-(\d{2})-(\d{2})T00:00:00Z$/.exec(time);
        if (!parts) return; // any other text: only that it never throws
        const [year, month, day] = parts.slice(1).map(Number);
        const daysInMonth =
          month >= 1 && month <= 12 ? new Date(Date.UTC(2000 + (year % 400), month, 0)).getUTCDate() : 0;
        const real = day >= 1 && day <= daysInMonth && year >= 1970 && year < 2100;
        // A real date later than a day past the record's arrival is refused too (too far ahead).
        expect(result.ok).toBe(real && Date.UTC(year, month - 1, day) <= arrivalTime + 86_400_000);
      }),
      { numRuns: 1_000 },
    );
  });

  it('stores no card number written into an adjustment reason', () => {
    const card = fc.constantFrom(
      '4111 1111 1111 1111',
      '4111-1111-1111-1111',
      '4111.1111.1111.1111',
      '5555555555554444',
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), card, fc.string({ maxLength: 20 }), (before, number, after) => {
        const reason = `${before} ${number} ${after}`.slice(0, LIMITS.maxTextLength);
        const result = decodeEventRecord(
          encode({ event_type: 'stock_adjusted', sku: 'A1', quantity: 1, reason }),
          context,
          options,
        );
        if (!result.ok || result.event.type !== 'stock_adjusted') return;
        expect(result.event.reason.replace(/\D/g, '')).not.toContain(number.replace(/\D/g, ''));
        expect(result.event.reason).toContain(REDACTED);
      }),
      { numRuns: 300 },
    );
  });
});

import { isWireEventType, LIMITS, WireEventType, wireEventSchemas } from './wire-schemas';
import { parseWireEvent } from './wire-validator';
import { seededRandom } from '../../../../test/support/seeded-random';

const TRICKY_VALUES: unknown[] = [
  undefined,
  null,
  true,
  [],
  {},
  '',
  '   ',
  ' padded ',
  'a\u0001b',
  '\tA1\n',
  'x\u007f',
  'a/b',
  'ok.code-1_x',
  '-dash-first',
  'x'.repeat(LIMITS.maxIdLength),
  'x'.repeat(LIMITS.maxIdLength + 1),
  'y'.repeat(LIMITS.maxTextLength),
  'y'.repeat(LIMITS.maxTextLength + 1),
  'c'.repeat(64),
  'c'.repeat(65),
  0,
  1,
  -1,
  -0,
  1.5,
  -2.5,
  LIMITS.maxQuantity,
  LIMITS.maxQuantity + 1,
  -LIMITS.maxQuantity,
  -LIMITS.maxQuantity - 1,
  1e12,
  '5',
  '12.50',
  ' 3.2 ',
  '1.005',
  '0.004',
  '-1',
  '1e3',
  'abc',
  0.29,
  1e-7,
  100_000_000,
  100_000_000.01,
  '100000000.00',
  '100000000.005',
  '2024-01-02T03:04:05Z',
  '2024-01-02 03:04',
  '2024-01-02T03:04:05.250+02:00',
  '2024-13-45T99:99:00Z',
  '2024-02-30T10:00:00Z',
  '2024-01-02',
  'yesterday',
  '12024-01-02T03:04:05Z',
];

function pick<T>(next: () => number, values: readonly T[]): T {
  return values[Math.floor(next() * values.length)];
}

function validEvent(type: WireEventType, next: () => number, index: number): Record<string, unknown> {
  const time = new Date(Date.parse('2024-01-01T00:00:00Z') + index * 61_000).toISOString();
  const common: Record<string, unknown> = {};
  if (next() < 0.7) common.event_id = `evt-${index}`;
  if (next() < 0.5) common.occurred_at = time;
  if (next() < 0.5) common.location = pick(next, ['main', 'north', 'Store 7']);
  if (next() < 0.5) common.source = pick(next, ['web', 'app', 'chesterfield']);
  if (next() < 0.2) common.unknown_field = 'dropped';
  if (next() < 0.4) common.actor = pick(next, ['ann@example.com', ' test-admin ', 'display:hall']);
  if (next() < 0.4) common.reason = pick(next, ['damaged in transit', ' recount ']);
  const sku = `SKU-${Math.floor(next() * 1000)}`;
  const money = () => pick(next, ['12.50', 3.2, '0.99', 0, '1.005', 1999.99]);
  const lines = (priced: boolean) =>
    Array.from({ length: 1 + Math.floor(next() * 3) }, (_, line) => ({
      sku: `${sku}-${line}`,
      quantity: 1 + Math.floor(next() * 5),
      ...(priced || next() < 0.5 ? { unit_price: money() } : {}),
    }));
  switch (type) {
    case 'product_added':
      return {
        ...common,
        event_type: type,
        product: {
          product_id: sku,
          product_name: 'Laptop',
          quantity: Math.floor(next() * 50),
          timestamp: time,
          ...(next() < 0.5 ? { unit_price: money(), unit_cost: money() } : {}),
          ...(next() < 0.5 ? { reorder_point: Math.floor(next() * 10) } : {}),
        },
      };
    case 'product_removed':
      return {
        ...common,
        event_type: type,
        product: { product_id: sku, timestamp: time, ...(next() < 0.5 ? { quantity: 2 } : {}) },
      };
    case 'quantity_changed':
      return { ...common, event_type: type, product: { product_id: sku, quantity_delta: -3, timestamp: time } };
    case 'quantity_increment':
    case 'quantity_decrement':
      return { ...common, event_type: type, product: { product_id: sku, quantity: 4, timestamp: time } };
    case 'stock_adjusted':
      return { ...common, event_type: type, sku, quantity: 7, reason: 'cycle count' };
    case 'reorder_point_set':
      return { ...common, event_type: type, sku, reorder_point: Math.floor(next() * 20) };
    case 'alert_acknowledged':
      return {
        ...common,
        event_type: type,
        sku,
        alert_id: `inventory-events|shardId-000000000001|${index}|low_stock|main|${sku}`,
        acknowledged_by: pick(next, ['ops-lead', ' Sam ']),
      };
    case 'order_placed':
    case 'order_fulfilled':
    case 'order_cancelled':
    case 'order_returned':
      return {
        ...common,
        event_type: type,
        order_id: `ord-${index}`,
        ...(next() < 0.3 ? { customer_id: 'cust-1' } : {}),
        lines: lines(type === 'order_placed'),
      };
    case 'product_updated':
      return {
        ...common,
        event_type: type,
        sku,
        ...(next() < 0.6 ? { name: pick(next, ['Kettle', ' Desk fan ']) } : {}),
        ...(next() < 0.4 ? { unit_price: money() } : {}),
        ...(next() < 0.3 ? { unit_cost: money() } : {}),
        ...(next() < 0.3 ? { category: 'Kitchen' } : {}),
        ...(next() < 0.3 ? { description: pick(next, ['Two litres.\nSteel.', 'd'.repeat(2_001), 'bell\u0007']) } : {}),
      };
    case 'restock_received':
      return {
        ...common,
        event_type: type,
        sku,
        quantity: 5,
        unit_cost: money(),
        ...(next() < 0.5 ? { supplier_id: 'SUP-1' } : {}),
      };
  }
}

/**
 * Orders whose lines are each valid but whose totals sit at, just over or far over the per-event
 * bounds: units summed over lines, and quantity × unit_price summed over lines.
 */
function totalsCases(valid: Record<string, unknown>, next: () => number): Record<string, unknown>[] {
  const sku = (valid.lines as { sku: string }[])[0].sku;
  const half = LIMITS.maxQuantity / 2;
  const withLines = (lines: Record<string, unknown>[]) => ({ ...valid, lines });
  const unitPrice = (price: unknown) => (price === undefined ? {} : { unit_price: price });
  const price = pick(next, ['0.01', 0, '100000000.00', 1999.99, '12.50']);
  return [
    withLines([
      { sku, quantity: half, ...unitPrice(price) },
      { sku, quantity: half, ...unitPrice(price) },
    ]),
    withLines([
      { sku, quantity: half, ...unitPrice(price) },
      { sku, quantity: half + 1, ...unitPrice(price) },
    ]),
    withLines(Array.from({ length: LIMITS.maxLines }, () => ({ sku, quantity: LIMITS.maxQuantity, unit_price: '1' }))),
    // 100 lines of 1,000 units at 100,000.00: exactly the money bound; one more unit goes over it.
    withLines(Array.from({ length: 100 }, () => ({ sku, quantity: 1_000, unit_price: '100000.00' }))),
    withLines([
      ...Array.from({ length: 99 }, () => ({ sku, quantity: 1_000, unit_price: '100000.00' })),
      { sku, quantity: 1_001, unit_price: '100000.00' },
    ]),
    withLines([{ sku, quantity: LIMITS.maxQuantity, unit_price: '100000000.00' }]),
    // Past 2^53 cents, where a double would no longer hold the total exactly.
    withLines(Array.from({ length: 10 }, () => ({ sku, quantity: 1_000_000, unit_price: 99_999_999.99 }))),
    // Unpriced lines carry no money: only their units are bounded.
    withLines([{ sku, quantity: LIMITS.maxQuantity }]),
  ];
}

/** Every path to a leaf value of the event (except event_type, which selects the schema). */
function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [path, ...value.flatMap((item, index) => leafPaths(item, [...path, index]))];
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, child]) =>
      key === 'event_type' ? [] : leafPaths(child, [...path, key]),
    );
  }
  return [path];
}

function setAt(target: Record<string, unknown>, path: (string | number)[], value: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(target)) as Record<string, unknown>;
  if (path.length === 0) return copy;
  let cursor = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) cursor = cursor[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === undefined && !Array.isArray(cursor)) delete cursor[last];
  else cursor[last] = value;
  return copy;
}

function compare(body: Record<string, unknown>) {
  const type = body.event_type as WireEventType;
  // What the decoder sees: the JSON text parsed again.
  const decoded: unknown = JSON.parse(JSON.stringify(body));
  const expected = wireEventSchemas[type].safeParse(decoded);
  const actual = parseWireEvent(type, decoded);
  return { expected, actual };
}

describe(parseWireEvent.name, () => {
  const types = Object.keys(wireEventSchemas).filter(isWireEventType);

  it('accepts, rejects and outputs exactly what the wire schemas do, over generated events', () => {
    const next = seededRandom(20240301);
    let accepted = 0;
    let rejected = 0;
    for (let round = 0; round < 25; round++) {
      for (const type of types) {
        const valid = validEvent(type, next, round);
        const cases = [valid];
        for (const path of leafPaths(valid)) {
          cases.push(setAt(valid, path, pick(next, TRICKY_VALUES)));
          cases.push(setAt(valid, path, undefined));
        }
        if ('lines' in valid) {
          const line = (valid.lines as unknown[])[0];
          cases.push(setAt(valid, ['lines'], []));
          cases.push(
            setAt(
              valid,
              ['lines'],
              Array.from({ length: LIMITS.maxLines }, () => line),
            ),
          );
          cases.push(
            setAt(
              valid,
              ['lines'],
              Array.from({ length: LIMITS.maxLines + 1 }, () => line),
            ),
          );
          cases.push(setAt(valid, ['lines'], 'not lines'));
          cases.push(...totalsCases(valid, next));
        }
        if (type === 'restock_received') {
          // quantity × unit_cost at, just over and far over the per-event money bound.
          cases.push({ ...valid, quantity: 100_000, unit_cost: '100000.00' });
          cases.push({ ...valid, quantity: 100_001, unit_cost: '100000.00' });
          cases.push({ ...valid, quantity: LIMITS.maxQuantity, unit_cost: '100000000.00' });
          cases.push({ ...valid, quantity: 3, unit_cost: '0.1' });
        }
        if ('product' in valid) cases.push(setAt(valid, ['product'], [1]));
        for (const body of cases) {
          const { expected, actual } = compare(body);
          const label = JSON.stringify(body).slice(0, 300);
          expect({ label, accepted: actual.success }).toEqual({ label, accepted: expected.success });
          if (expected.success && actual.success) {
            expect(actual.data).toEqual(expected.data);
            accepted++;
          } else if (!expected.success && !actual.success) {
            // The problem named is one the schemas name too, at the same field.
            const expectedPaths = expected.error.issues.map((issue) => issue.path.join('.'));
            expect(expectedPaths).toContain(actual.error.issues[0].path.join('.'));
            rejected++;
          }
        }
      }
    }
    // Both sides of the contract were exercised in earnest.
    expect(accepted).toBeGreaterThan(1_000);
    expect(rejected).toBeGreaterThan(1_000);
  });

  it('accepts the sample event of the design verbatim, with the same output as the schema', () => {
    const sample = JSON.parse(
      '{"event_type":"product_added","product":{"product_id":"P98765","product_name":"Laptop","quantity":10,"timestamp":"2023-09-11T12:00:00Z"}}',
    ) as Record<string, unknown>;
    const { expected, actual } = compare(sample);
    expect(actual).toEqual(expected);
    expect(actual.success && actual.data).toMatchObject({ product: { quantity: 10, product_id: 'P98765' } });
  });

  it.each([
    [{ event_type: 'stock_adjusted', sku: 'A', quantity: -1, reason: 'x' }, 'quantity', /must not be negative/],
    [{ event_type: 'stock_adjusted', sku: 'A', quantity: 1.5, reason: 'x' }, 'quantity', /whole number/],
    [{ event_type: 'stock_adjusted', sku: ' ', quantity: 1, reason: 'x' }, 'sku', /must not be empty/],
    [{ event_type: 'stock_adjusted', sku: 'a\u0000', quantity: 1, reason: 'x' }, 'sku', /control characters/],
    [{ event_type: 'restock_received', sku: 'A', quantity: 1, unit_cost: '-1' }, 'unit_cost', /non-negative decimal/],
    [{ event_type: 'reorder_point_set', sku: 'A' }, 'reorder_point', /Required/],
    [{ event_type: 'alert_acknowledged', sku: 'A', acknowledged_by: 'ops' }, 'alert_id', /Required/],
    [
      { event_type: 'alert_acknowledged', sku: 'A', alert_id: 'x'.repeat(401), acknowledged_by: 'ops' },
      'alert_id',
      /at most 400/,
    ],
    [{ event_type: 'alert_acknowledged', sku: 'A', alert_id: 'a1', acknowledged_by: ' ' }, 'acknowledged_by', /empty/],
    [
      { event_type: 'order_placed', order_id: 'O', lines: [{ sku: 'A', quantity: 0, unit_price: 1 }] },
      'lines.0.quantity',
      /must be positive/,
    ],
    [
      {
        event_type: 'order_placed',
        order_id: 'O',
        lines: Array.from({ length: 3 }, () => ({ sku: 'A', quantity: LIMITS.maxQuantity, unit_price: '0.01' })),
      },
      'lines',
      /quantities over all lines must add up to at most 10000000/,
    ],
    [
      {
        event_type: 'order_placed',
        order_id: 'O',
        lines: [{ sku: 'A', quantity: 9_000_000, unit_price: '99999999.99' }],
      },
      'lines',
      /quantity × unit_price over all lines must add up to at most 10000000000\.00/,
    ],
    [
      {
        event_type: 'order_returned',
        order_id: 'O',
        lines: [
          { sku: 'A', quantity: 6_000_000 },
          { sku: 'B', quantity: 4_000_001 },
        ],
      },
      'lines',
      /quantities over all lines/,
    ],
    [
      { event_type: 'restock_received', sku: 'A', quantity: LIMITS.maxQuantity, unit_cost: '2000.00' },
      'quantity',
      /quantity × unit_cost must be at most 10000000000\.00/,
    ],
    [
      { event_type: 'quantity_changed', product: { product_id: 'A', quantity_delta: 1, timestamp: '2024-02-31' } },
      'product.timestamp',
      /ISO-8601/,
    ],
  ])('names the field and the problem: %j', (body, path, message) => {
    const schema = wireEventSchemas[body.event_type as WireEventType].safeParse(body);
    expect(schema.success).toBe(false);
    const result = parseWireEvent(body.event_type as WireEventType, body);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues[0].path.join('.')).toBe(path);
    expect(result.error.issues[0].message).toMatch(message);
  });

  it('accepts an order whose totals are exactly at the per-event bounds, in the schemas and the validator', () => {
    const body = {
      event_type: 'order_placed',
      order_id: 'O',
      lines: [
        { sku: 'A', quantity: 9_999_000, unit_price: '0.01' },
        { sku: 'B', quantity: 1_000, unit_price: '9999900.01' },
      ],
    };
    const { expected, actual } = compare(body);
    expect(expected.success).toBe(true);
    expect(actual).toEqual(expected);
  });
});

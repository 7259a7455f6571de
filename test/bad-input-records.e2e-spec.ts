import { aggregateOneWithLibrary } from './support/kpl-records';
import {
  added,
  callAsAdmin,
  json,
  MAX_EVENT_BYTES,
  quantityChanged,
  useCorpusStack,
  timestamp,
} from './support/bad-input';
import { eventually } from './support/test-stack';

/**
 * The bad-input corpus, the stream's side: Kinesis records plain and KPL-aggregated, each dead-lettered
 * with its exact reason while the good records sent around it apply.
 */
const corpus = useCorpusStack();

interface RecordCase {
  name: string;
  data: () => Promise<Buffer> | Buffer;
  reason: string;
  /** For a KPL aggregate: the user record that is bad (the others are good SKUs to apply). */
  kpl?: boolean;
}

const RECORDS: RecordCase[] = [
  { name: 'not JSON', data: () => json('{"event_type": "product_added",'), reason: 'not_json' },
  { name: 'empty', data: () => Buffer.alloc(0), reason: 'not_json' },
  { name: 'not UTF-8', data: () => Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), reason: 'not_utf8' },
  // Without a byte order mark UTF-16 of ASCII is valid UTF-8 (with NULs): not JSON.
  { name: 'UTF-16 JSON', data: () => Buffer.from(JSON.stringify(added('U16')), 'utf16le'), reason: 'not_json' },
  {
    name: 'UTF-16 JSON with a byte order mark',
    data: () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(added('U16')), 'utf16le')]),
    reason: 'not_utf8',
  },
  {
    name: 'over MAX_EVENT_BYTES',
    data: () => json({ ...added('BIG'), pad: 'x'.repeat(MAX_EVENT_BYTES) }),
    reason: 'too_large',
  },
  { name: 'an array', data: () => json([added('ARR')]), reason: 'not_an_object' },
  { name: 'a number', data: () => json('42'), reason: 'not_an_object' },
  { name: 'null', data: () => json('null'), reason: 'not_an_object' },
  {
    name: 'nested 40 deep',
    data: () => json(`{"event_type":"product_added","x":${'['.repeat(40)}${']'.repeat(40)}}`),
    reason: 'invalid_event',
  },
  { name: 'no event_type', data: () => json({ product: { product_id: 'X' } }), reason: 'invalid_event' },
  { name: 'an unknown event_type', data: () => json({ event_type: 'product_stolen' }), reason: 'unknown_event_type' },
  {
    name: 'an event_type with an escape',
    data: () => json({ event_type: '\u001b[2Jproduct_added' }),
    reason: 'unknown_event_type',
  },
  { name: 'a numeric event_type', data: () => json({ event_type: 7 }), reason: 'unknown_event_type' },
  { name: 'no product', data: () => json({ event_type: 'product_added' }), reason: 'invalid_event' },
  {
    name: 'a negative quantity',
    data: () =>
      json({ event_type: 'product_added', product: { product_id: 'N', product_name: 'n', quantity: -5, timestamp } }),
    reason: 'invalid_event',
  },
  {
    name: 'a fractional quantity',
    data: () =>
      json({ event_type: 'product_added', product: { product_id: 'N', product_name: 'n', quantity: 1.5, timestamp } }),
    reason: 'invalid_event',
  },
  {
    name: 'a quantity of 1e309',
    data: () =>
      json(
        `{"event_type":"product_added","product":{"product_id":"N","product_name":"n","quantity":1e309,"timestamp":"${timestamp}"}}`,
      ),
    reason: 'invalid_event',
  },
  {
    name: 'an absurd quantity',
    data: () =>
      json({ event_type: 'product_added', product: { product_id: 'N', product_name: 'n', quantity: 1e20, timestamp } }),
    reason: 'invalid_event',
  },
  {
    name: 'a quantity as text',
    data: () => json(quantityChanged({ product_id: 'N', quantity_delta: '5', timestamp })),
    reason: 'invalid_event',
  },
  {
    name: '31 February',
    data: () => json(quantityChanged({ product_id: 'N', quantity_delta: 1, timestamp: '2026-02-31T00:00:00Z' })),
    reason: 'invalid_event',
  },
  {
    name: 'year 0000',
    data: () => json(quantityChanged({ product_id: 'N', quantity_delta: 1, timestamp: '0000-01-01T00:00:00Z' })),
    reason: 'invalid_event',
  },
  {
    name: 'offset +99:99',
    data: () => json(quantityChanged({ product_id: 'N', quantity_delta: 1, timestamp: '2024-01-01T00:00:00+99:99' })),
    reason: 'invalid_event',
  },
  {
    name: 'a time far ahead',
    data: () => json(quantityChanged({ product_id: 'N', quantity_delta: 1, timestamp: '2099-01-01T00:00:00Z' })),
    reason: 'invalid_event',
  },
  {
    name: 'a time as a number',
    data: () => json(quantityChanged({ product_id: 'N', quantity_delta: 1, timestamp: 1714644000000 })),
    reason: 'invalid_event',
  },
  {
    name: 'an empty SKU',
    data: () => json(quantityChanged({ product_id: '', quantity_delta: 1, timestamp })),
    reason: 'invalid_event',
  },
  {
    name: 'a SKU with NUL',
    data: () => json(quantityChanged({ product_id: 'A\u0000B', quantity_delta: 1, timestamp })),
    reason: 'invalid_event',
  },
  {
    name: 'a SKU of 200 characters',
    data: () => json(quantityChanged({ product_id: 'S'.repeat(200), quantity_delta: 1, timestamp })),
    reason: 'invalid_event',
  },
  {
    name: 'an order without lines',
    data: () => json({ event_type: 'order_placed', order_id: 'O1', lines: [], occurred_at: timestamp }),
    reason: 'invalid_event',
  },
  {
    name: 'order lines as text',
    data: () => json({ event_type: 'order_placed', order_id: 'O1', lines: 'A x 1', occurred_at: timestamp }),
    reason: 'invalid_event',
  },
  {
    name: 'a negative unit price',
    data: () =>
      json({
        event_type: 'order_placed',
        order_id: 'O1',
        lines: [{ sku: 'A', quantity: 1, unit_price: '-1' }],
        occurred_at: timestamp,
      }),
    reason: 'invalid_event',
  },
  {
    name: 'a unit price as words',
    data: () =>
      json({
        event_type: 'order_placed',
        order_id: 'O1',
        lines: [{ sku: 'A', quantity: 1, unit_price: 'ten' }],
        occurred_at: timestamp,
      }),
    reason: 'invalid_event',
  },
  {
    name: 'a reason too long',
    data: () => json({ event_type: 'stock_adjusted', sku: 'A', quantity: 1, reason: 'r'.repeat(3000) }),
    reason: 'invalid_event',
  },
  {
    name: 'a restock without cost',
    data: () => json({ event_type: 'restock_received', sku: 'A', quantity: 1 }),
    reason: 'invalid_event',
  },
  {
    name: 'a KPL magic with garbage',
    data: () => Buffer.concat([Buffer.from([0xf3, 0x89, 0x9a, 0xc2]), Buffer.from('garbage-garbage-garbage')]),
    reason: 'kpl_bad_checksum',
  },
  {
    name: 'a KPL aggregate with a wrong checksum',
    data: async () => {
      const aggregate = await aggregateOneWithLibrary([{ partitionKey: 'K', data: json(added('KPL-X')) }]);
      aggregate[aggregate.length - 1] ^= 0xff;
      return aggregate;
    },
    reason: 'kpl_bad_checksum',
  },
  {
    name: 'a truncated KPL aggregate',
    data: async () =>
      (await aggregateOneWithLibrary([{ partitionKey: 'K', data: json(added('KPL-Y')) }])).subarray(0, 12),
    // Shorter than a KPL header and checksum: read as a plain record, whose magic bytes are not UTF-8.
    reason: 'not_utf8',
  },
  {
    name: 'a KPL user record that is not JSON, between good ones',
    data: () => Buffer.from('{oops'),
    reason: 'not_json',
    kpl: true,
  },
  {
    name: 'a KPL user record with 31 February, between good ones',
    data: () => json(quantityChanged({ product_id: 'N', quantity_delta: 1, timestamp: '2026-02-31T00:00:00Z' })),
    reason: 'invalid_event',
    kpl: true,
  },
  {
    name: 'a KPL user record with an unknown type, between good ones',
    data: () => json({ event_type: 'teleport' }),
    reason: 'unknown_event_type',
    kpl: true,
  },
  {
    name: 'a KPL user record that is an array, between good ones',
    data: () => json([1, 2]),
    reason: 'not_an_object',
    kpl: true,
  },
];

describe('Kinesis records', () => {
  const sent = new Map<string, { sequenceNumber: string; subSequence: number; goods: string[] }>();
  let deadLetters: { sequenceNumber: string; subSequence: number; reason: string; detail: string }[] = [];

  beforeAll(async () => {
    for (const [index, record] of RECORDS.entries()) {
      const before = `REC-${index}-A`;
      const after = `REC-${index}-B`;
      if (record.kpl) {
        const aggregate = await aggregateOneWithLibrary([
          { partitionKey: before, data: json(added(before)) },
          { partitionKey: 'bad', data: await record.data() },
          { partitionKey: after, data: json(added(after)) },
        ]);
        const [sequenceNumber] = await corpus.stack.publisher.publishRaw([{ data: aggregate, partitionKey: before }]);
        sent.set(record.name, { sequenceNumber, subSequence: 1, goods: [before, after] });
      } else {
        const sequenceNumbers = await corpus.stack.publisher.publishRaw([
          { data: json(added(before)), partitionKey: before },
          { data: await record.data(), partitionKey: 'bad' },
          { data: json(added(after)), partitionKey: after },
        ]);
        sent.set(record.name, { sequenceNumber: sequenceNumbers[1], subSequence: 0, goods: [before, after] });
      }
    }
    const last = `REC-${RECORDS.length - 1}-B`;
    await eventually(
      async () => ((await corpus.stack.get(`/api/v1/stock/${last}`)).status === 200 ? true : undefined),
      30_000,
    );
    deadLetters = await eventually(async () => {
      const page = await callAsAdmin(corpus.stack, 'GET', '/api/v1/dead-letters?source=live&limit=500');
      return page.body.items.length >= RECORDS.length ? page.body.items : undefined;
    });
  }, 120_000);

  it.each(RECORDS.map((record) => [record.name, record] as const))(
    'dead-letters %s with its reason, and the good records around it apply',
    async (name, record) => {
      const { sequenceNumber, subSequence, goods } = sent.get(name)!;
      const letter = deadLetters.find(
        (item) => item.sequenceNumber === sequenceNumber && item.subSequence === subSequence,
      );
      expect(letter).toMatchObject({ reason: record.reason });
      // eslint-disable-next-line no-control-regex -- the detail must hold no control character
      expect(letter!.detail).not.toMatch(/[\u0000-\u001f]/);
      for (const sku of goods) expect((await corpus.stack.get(`/api/v1/stock/${sku}`)).status).toBe(200);
    },
  );
});

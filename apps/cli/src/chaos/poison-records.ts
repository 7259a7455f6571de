/** A bad record the run puts on the stream, which must end in the dead letters (and nowhere else). */
export interface PoisonRecord {
  /** Text in the record's first bytes that finds its dead letter. */
  marker: string;
  kind: string;
  /** The dead-letter reason docs/ingest.md names for it. */
  reason: string;
  data: Buffer;
  partitionKey: string;
}

/**
 * Poison (not JSON, not UTF-8, an unknown event type, invalid fields) and oversize records (over the
 * project's MAX_EVENT_BYTES, and one near Kinesis' 1 MiB limit), each with a unique marker near its
 * start so its dead letter can be found in the kept first 2 KiB. `sku` is a real SKU of the replay: a
 * buggy producer sends them among good events.
 */
export function poisonRecords(round: number, sku: string, maxEventBytes: number): PoisonRecord[] {
  const marker = (kind: string) => `chaos-${round}-${kind}`;
  const at = new Date().toISOString();
  const json = (kind: string, reason: string, body: Record<string, unknown>): PoisonRecord => ({
    marker: marker(kind),
    kind,
    reason,
    data: Buffer.from(JSON.stringify({ event_id: marker(kind), ...body })),
    partitionKey: sku,
  });
  const oversize = (kind: string, bytes: number): PoisonRecord => {
    const head = `{"event_id":"${marker(kind)}","event_type":"product_added","product":{"product_id":"${sku}","timestamp":"${at}","quantity":1,"product_name":"`;
    const tail = '"}}';
    // A long product description of ordinary words, as a careless export would send.
    const words = 'hand painted ceramic mug with gift box and ribbon ';
    const filler = words.repeat(Math.ceil(bytes / words.length)).slice(0, bytes - head.length - tail.length);
    return {
      marker: marker(kind),
      kind,
      reason: 'too_large',
      data: Buffer.from(head + filler + tail),
      partitionKey: sku,
    };
  };
  return [
    {
      marker: marker('not-json'),
      kind: 'not JSON',
      reason: 'not_json',
      data: Buffer.from(`{"event_id":"${marker('not-json')}","event_type":"order_placed","lines":[{"sku":`),
      partitionKey: sku,
    },
    {
      marker: marker('not-utf8'),
      kind: 'not UTF-8',
      reason: 'not_utf8',
      data: Buffer.concat([Buffer.from(`{"event_id":"${marker('not-utf8')}","x":"`), Buffer.from([0xc3, 0x28, 0xff])]),
      partitionKey: sku,
    },
    json('unknown-type', 'unknown_event_type', { event_type: 'price_teleported', sku, occurred_at: at }),
    json('negative-quantity', 'invalid_event', {
      event_type: 'order_placed',
      order_id: marker('negative-quantity'),
      occurred_at: at,
      lines: [{ sku, quantity: -5, unit_price: '1.00' }],
    }),
    json('missing-lines', 'invalid_event', { event_type: 'order_fulfilled', order_id: 'x', occurred_at: at }),
    json('absurd-quantity', 'invalid_event', {
      event_type: 'quantity_changed',
      occurred_at: at,
      product: { product_id: sku, quantity_delta: 1e12, timestamp: at },
    }),
    json('text-quantity', 'invalid_event', {
      event_type: 'restock_received',
      sku,
      quantity: 'twelve',
      unit_cost: '1.00',
      occurred_at: at,
    }),
    oversize('over-limit', maxEventBytes + 40_000),
    oversize('near-1mib', 1_000_000),
  ];
}

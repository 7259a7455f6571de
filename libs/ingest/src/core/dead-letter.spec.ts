import { buildDeadLetter, DEAD_LETTER_RAW_BYTES } from './dead-letter';
import { decodeEventRecord } from './event-decoder';
import { HEAD_MARGIN, passesLuhn, redactedHead, redactPersonalBytes, redactPersonalData } from './personal-data';

const context = {
  shardId: 'shardId-000000000003',
  position: { sequenceNumber: '49651500428537810361738911602281766442231359848962146306', subSequence: 0 },
  arrivalTime: Date.parse('2021-09-01T09:05:00Z'),
};

// Rows in the café branch files' shape (timestamp, store, customer_name, basket_items, total_price,
// cash_or_card, card_number). 4539578763621486 passes the Luhn check; 5416973159041271, like most
// card numbers in those files, does not.
const CAFE_ROW =
  '01/09/2021 09:03,Birmingham,James Owens,"Large Red Label tea - 1.80, Regular Flavoured hot chocolate - Caramel - 2.60",4.4,CARD,5416973159041271';
const CAFE_EVENT = JSON.stringify({
  event_type: 'order_placed',
  order_id: 'birmingham-0903',
  occurred_at: '2021-09-01T09:03:00Z',
  source: 'Birmingham',
  customer_name: 'Angelica Mayes',
  email: 'angelica.mayes@example.com',
  phone: '+44 7700 900123',
  card_number: '4539 5787 6362 1486',
  lines: [{ sku: 'regular-cortado', quantity: 1, unit_price: 'two' }],
});

function rejected(data: Uint8Array) {
  const decoded = decodeEventRecord(data, context, { maxEventBytes: 262_144 });
  if (decoded.ok) throw new Error('expected a rejected record');
  return buildDeadLetter('inventory-events', data, context, decoded.reason, decoded.detail, context.arrivalTime);
}

const storedText = (rawBase64: string) => Buffer.from(rawBase64, 'base64').toString('utf8');

describe(buildDeadLetter.name, () => {
  it('stores a café CSV row sent as a record without its card number', () => {
    const letter = rejected(Buffer.from(CAFE_ROW));
    expect(letter.reason).toBe('not_json');
    expect(storedText(letter.rawBase64)).toBe(CAFE_ROW.replace('5416973159041271', '[redacted]'));
    expect(letter.rawBytes).toBe(Buffer.byteLength(CAFE_ROW));
    expect(letter.detail).not.toMatch(/5416973159041271/);
  });

  it('redacts the personal values of an invalid JSON event, keeping what explains the rejection', () => {
    const letter = rejected(Buffer.from(CAFE_EVENT));
    expect(letter).toMatchObject({
      reason: 'invalid_event',
      detail: 'lines.0.unit_price: must be a non-negative decimal amount',
    });
    const stored = storedText(letter.rawBase64);
    for (const personal of ['Angelica', 'Mayes', 'angelica.mayes', '7700 900123', '4539', '1486']) {
      expect(stored).not.toContain(personal);
    }
    expect(JSON.parse(stored)).toMatchObject({
      customer_name: '[redacted]',
      email: '[redacted]',
      phone: '[redacted]',
      card_number: '[redacted]',
      order_id: 'birmingham-0903',
      lines: [{ sku: 'regular-cortado', quantity: 1, unit_price: 'two' }],
    });
    expect(letter.rawBytes).toBe(Buffer.byteLength(CAFE_EVENT));
  });

  it('redacts a card number that the JSON parser quotes in its error', () => {
    const record = '{"event_type":"order_placed","card_number":4539578763621486 "order_id":"A"}';
    const letter = rejected(Buffer.from(record));
    expect(letter.reason).toBe('not_json');
    expect(letter.detail).not.toContain('4539578763621486');
    expect(storedText(letter.rawBase64)).toBe(
      '{"event_type":"order_placed","card_number":"[redacted]" "order_id":"A"}',
    );
  });

  it('redacts before cutting to 2 KiB, so a card number across the cut leaves no digits behind', () => {
    const padding = 'x'.repeat(DEAD_LETTER_RAW_BYTES - 8);
    const record = `${padding} 4539578763621486 ${'y'.repeat(100)}`;
    const letter = buildDeadLetter('s', Buffer.from(record), context, 'not_json', 'record is not JSON', 0);
    const stored = storedText(letter.rawBase64);
    expect(stored).toHaveLength(DEAD_LETTER_RAW_BYTES);
    expect(stored.endsWith(' [redact')).toBe(true);
    expect(letter.rawBytes).toBe(Buffer.byteLength(record));
  });

  it('reads only the head of a record over the size limit, leaving no part of an address cut at its end', () => {
    const cut = DEAD_LETTER_RAW_BYTES + HEAD_MARGIN;
    const address = 'angelica.mayes@example.com';
    for (const offset of [-30, -15, -1, 0, 1, 10]) {
      const before = `{"note":"${'x '.repeat((cut + offset - 9) / 2)}`.slice(0, cut + offset - address.length);
      const record = `${before}${address} ${'y'.repeat(2_000_000)}`;
      const letter = buildDeadLetter('s', Buffer.from(record), context, 'too_large', 'record is too large', 0);
      const stored = storedText(letter.rawBase64);
      expect(stored.length).toBeLessThanOrEqual(DEAD_LETTER_RAW_BYTES);
      for (const part of ['angelica', 'mayes', 'example']) expect(stored).not.toContain(part);
      expect(letter.rawBytes).toBe(record.length);
    }
  });

  it('keeps bytes that are not UTF-8 exactly, apart from what it redacts', () => {
    const record = Buffer.concat([
      Buffer.from([0x7b, 0xff, 0xfe]),
      Buffer.from(' 4539-5787-6362-1486 '),
      Buffer.from([0xc3]),
    ]);
    const letter = rejected(record);
    expect(letter.reason).toBe('not_utf8');
    expect(Buffer.from(letter.rawBase64, 'base64')).toEqual(
      Buffer.concat([Buffer.from([0x7b, 0xff, 0xfe]), Buffer.from(' [redacted] '), Buffer.from([0xc3])]),
    );
  });
});

describe(redactPersonalData.name, () => {
  it.each([
    ['a Luhn-valid card with spaces', 'paid 4539 5787 6362 1486 ok', 'paid [redacted] ok'],
    ['a Luhn-valid card with dashes', 'paid 4539-5787-6362-1486.', 'paid [redacted].'],
    ['a 15-digit Luhn-valid card', 'amex 378282246310005', 'amex [redacted]'],
    ['a 16-digit number failing Luhn (café data)', 'CARD,8326919589358122\r\n', 'CARD,[redacted]\r\n'],
    ['a quantity before a grouped card', 'qty 12 4539 5787 6362 1486', 'qty 12 [redacted]'],
    ['a card before a year', '4539 5787 6362 1486 2021', '[redacted] 2021'],
    ['an e-mail address in free text', 'from jessica.graves@example.co.uk, thanks', 'from [redacted], thanks'],
    [
      'a personal key with a number value',
      '{"card_number": 5694979190727758, "x": 1}',
      '{"card_number": "[redacted]", "x": 1}',
    ],
    [
      'personal keys in any spelling',
      '{"CustomerName":"Scott Owens","phone_number":"07700 900456"}',
      '{"CustomerName":"[redacted]","phone_number":"[redacted]"}',
    ],
    [
      'an escaped quote inside a value',
      '{"customer_name":"Ann \\"Annie\\" Lee","sku":"A"}',
      '{"customer_name":"[redacted]","sku":"A"}',
    ],
    [
      'a value cut off by truncation',
      '{"sku":"A","customer_name":"Richard Cop',
      '{"sku":"A","customer_name":"[redacted]"',
    ],
  ])('redacts %s', (_, text, expected) => {
    expect(redactPersonalData(text)).toBe(expected);
  });

  it('redacts a card number written with spaces as the bare value of a personal key', () => {
    expect(redactPersonalData('{"phone": 4539 5787 6362 1486}')).toBe('{"phone": "[redacted]"}');
  });

  it('takes time linear in the length of the text', () => {
    // The e-mail regex this replaced took 55/219/878 ms on 10k/20k/40k letters (quadratic).
    const timeOf = (text: string) => {
      // CPU time: not how long the test waited for a core on a busy machine.
      const start = process.cpuUsage();
      redactPersonalData(text);
      const used = process.cpuUsage(start);
      return (used.user + used.system) / 1000;
    };
    // The best of three: process CPU time also counts a collection or other work in the process.
    const bestOf = (text: string) => Math.min(timeOf(text), timeOf(text), timeOf(text));
    for (const unit of ['a', 'a.', '7 ', '7-', '"email":', 'a@a.a']) {
      timeOf(unit.repeat(10_000)); // warm-up
      const small = bestOf(unit.repeat(250_000 / unit.length));
      const large = bestOf(unit.repeat(1_000_000 / unit.length));
      // Four times the text: about four times the time when linear, sixteen when quadratic. Measured
      // against itself, so a slower or busier machine moves both sides; a quadratic pass would also
      // take minutes at a million characters.
      expect(large / Math.max(small, 5)).toBeLessThan(8);
      expect(large).toBeLessThan(2_000);
    }
  });

  it.each([
    ['epoch milliseconds', '{"occurred_at":1630486980000}'],
    ['a Kinesis sequence number', 'at 49651500428537810361738911602281766442231359848962146306'],
    ['a 13-digit number failing Luhn', 'order 1234567890123'],
    ['an 18-digit id failing Luhn', 'id 123456789012345678'],
    ['prices, quantities and the pseudonymous customer id', '{"customer_id":"17850","quantity":6,"unit_price":"2.55"}'],
    ['product names', '{"product_name":"Large Flavoured latte - Hazelnut"}'],
  ])('keeps %s', (_, text) => {
    expect(redactPersonalData(text)).toBe(text);
  });
});

describe(redactedHead.name, () => {
  it('keeps the first characters of the redacted text', () => {
    expect(redactedHead('mail ann@example.com now', 12)).toBe('mail [redact');
  });

  it('follows a card number or address past the head to its end before cutting', () => {
    const text = `${'x'.repeat(2300)} 4539 5787 6362 1486 ${'y'.repeat(10)}`;
    expect(redactedHead(text, 2310)).toBe(`${'x'.repeat(2300)} [redacted]`.slice(0, 2310));
  });

  it('drops a run of address characters too long to follow rather than keep part of it', () => {
    const text = `ok ${'a'.repeat(100_000)}@example.com`;
    expect(redactedHead(text, 2048)).toBe('ok ');
  });
});

describe(passesLuhn.name, () => {
  it('checks the check digit', () => {
    expect(passesLuhn('4539578763621486')).toBe(true);
    expect(passesLuhn('4539578763621487')).toBe(false);
    expect(passesLuhn('378282246310005')).toBe(true);
  });
});

describe(redactPersonalBytes.name, () => {
  it('returns the same bytes when there is nothing to redact', () => {
    const data = new Uint8Array([0x7b, 0x22, 0xe2, 0x82, 0xac, 0x22, 0x7d]);
    expect([...redactPersonalBytes(data)]).toEqual([...data]);
  });
});

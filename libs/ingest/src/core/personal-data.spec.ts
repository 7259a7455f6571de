import {
  REDACTED,
  redactFreeText,
  redactJsonValue,
  redactPersonalBytes,
  redactPersonalData,
  textEncodingOf,
} from './personal-data';
import { buildDeadLetter } from './dead-letter';

const VISA = '4111111111111111';
const context = { shardId: 'shardId-000000000000', position: { sequenceNumber: '1', subSequence: 0 }, arrivalTime: 0 };

function storedRaw(record: string | Uint8Array): string {
  const data = typeof record === 'string' ? Buffer.from(record, 'utf8') : record;
  const letter = buildDeadLetter('events', data, context, 'invalid_event', 'detail', 0);
  return Buffer.from(letter.rawBase64, 'base64').toString('utf8');
}

describe(redactPersonalData.name, () => {
  it.each([
    ['spaces', '4111 1111 1111 1111'],
    ['dashes', '4111-1111-1111-1111'],
    ['dots', '4111.1111.1111.1111'],
    ['inside free text', 'paid with 4111.1111.1111.1111 at the till'],
  ])('redacts a card number written with %s', (_, text) => {
    const sut = redactPersonalData(text);
    expect(sut).toContain(REDACTED);
    expect(sut.replace(/\D/g, '')).not.toContain('41111111');
  });

  it.each([
    ['+44 20 7946 0958', 'international'],
    ['(555) 123-4567', 'area code in parentheses'],
    ['555.123.4567', 'dotted'],
    ['020 7946 0958', 'national, three groups'],
  ])('redacts the phone number %s (%s)', (phone) => {
    expect(redactPersonalData(`call ${phone} today`)).toBe(`call ${REDACTED} today`);
  });

  it.each([
    ['a date', '2024-03-01T10:00:00Z'],
    ['a quantity', '"quantity": 1234567890'],
    ['an order id', 'ORD-555-123-4567'],
    ['a price', '12.50'],
  ])('keeps %s', (_, text) => {
    expect(redactPersonalData(text)).toBe(text);
  });

  it.each(['holder', 'buyer', 'Customer Name', 'buyer_name', 'card_holder', 'name_on_card', 'customer\\u005fname'])(
    'redacts the value of the name-like key %s',
    (key) => {
      expect(redactPersonalData(`{"${key}": "Ann Smith", "sku": "A1"}`)).toBe(`{"${key}": "${REDACTED}", "sku": "A1"}`);
    },
  );

  it('keeps product names', () => {
    const text = '{"product_name": "Laptop", "name": "Desk"}';
    expect(redactPersonalData(text)).toBe(text);
  });
});

describe(redactJsonValue.name, () => {
  it('redacts every string under any key, as decoded text, and the values of personal keys', () => {
    const parsed = JSON.parse(
      '{"note":"card \\u0034111 1111 1111 1111","lines":[{"memo":"mail ann@example.com"}],"holder":{"first":"Ann"},"qty":3}',
    ) as unknown;
    expect(redactJsonValue(parsed)).toEqual({
      note: `card ${REDACTED}`,
      lines: [{ memo: `mail ${REDACTED}` }],
      holder: REDACTED,
      qty: 3,
    });
  });
});

describe('dead letter bytes', () => {
  it('stores a JSON record with escaped keys and values redacted', () => {
    const raw = storedRaw(
      '{"event_type":"order_placed","customer\\u005fname":"Ann","reason":"\\u0034111111111111111"}',
    );
    expect(raw).not.toContain('Ann');
    expect(raw).not.toContain(VISA);
    expect(JSON.parse(raw)).toMatchObject({ event_type: 'order_placed', customer_name: REDACTED, reason: REDACTED });
  });

  it.each([
    [
      'UTF-16LE with a byte order mark',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`{"note":"${VISA}"}`, 'utf16le')]),
    ],
    ['UTF-16LE without one', Buffer.from(`{"note":"${VISA}"}`, 'utf16le')],
    ['UTF-16BE', Buffer.from(`{"note":"${VISA}"}`, 'utf16le').swap16()],
  ])('redacts a card number in a %s record', (_, data) => {
    const letter = buildDeadLetter('events', data, context, 'not_utf8', 'record is not valid UTF-8', 0);
    const stored = Buffer.from(letter.rawBase64, 'base64');
    expect(stored.toString('latin1').replace(/\0/g, '')).not.toContain(VISA);
    expect(redactPersonalBytes(data).toString('latin1').replace(/\0/g, '')).not.toContain(VISA);
  });

  it('tells UTF-16 from UTF-8', () => {
    expect(textEncodingOf(Buffer.from('{"a":1}', 'utf8'))).toBe('latin1');
    expect(textEncodingOf(Buffer.from('{"a":1}', 'utf16le'))).toBe('utf16le');
  });
});

describe(redactFreeText.name, () => {
  it('redacts a card in an adjustment reason and keeps ordinary reasons as they are', () => {
    expect(redactFreeText(`refund to ${VISA}`)).toBe(`refund to ${REDACTED}`);
    expect(redactFreeText('cycle count, aisle 12')).toBe('cycle count, aisle 12');
  });
});

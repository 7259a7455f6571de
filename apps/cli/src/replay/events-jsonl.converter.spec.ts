import { EventsJsonlConverter } from './events-jsonl.converter';

describe(EventsJsonlConverter.name, () => {
  const sut = new EventsJsonlConverter();
  const origin = { file: '/data/events.jsonl', line: 7 };

  it('passes a valid event through and gives it an id from its content when it has none', () => {
    const line = '{"event_type":"stock_adjusted","sku":"A1","quantity":4,"reason":"count"}';
    const [event] = sut.convert([line], origin) as { event_id: string }[];
    expect(event).toEqual({
      event_type: 'stock_adjusted',
      sku: 'A1',
      quantity: 4,
      reason: 'count',
      event_id: expect.stringMatching(/^jsonl-[0-9a-f]{24}$/),
    });
    // The same event in another file, at another line, keys in another order: the same id.
    const reordered = '{"sku":"A1","reason":"count","quantity":4,"event_type":"stock_adjusted"}';
    expect(new EventsJsonlConverter().convert([reordered], { file: '/other/moved.jsonl', line: 1 })).toEqual([
      expect.objectContaining({ event_id: event.event_id }),
    ]);
    // The same line again in the same file is another event.
    expect(sut.convert([line], { ...origin, line: 8 })).toEqual([
      expect.objectContaining({ event_id: `${event.event_id}-2` }),
    ]);
  });

  it('keeps a producer event id', () => {
    const line = '{"event_type":"stock_adjusted","event_id":"e-1","sku":"A1","quantity":4,"reason":"count"}';
    expect(sut.convert([line], origin)).toEqual([expect.objectContaining({ event_id: 'e-1' })]);
  });

  it.each([
    ['{bad', 'not_json'],
    ['[1]', 'not_an_object'],
    ['{"event_type":"teleported"}', 'unknown_event_type'],
    ['{"event_type":"stock_adjusted","sku":"A1","quantity":-4,"reason":"count"}', 'invalid_event'],
    [
      '{"event_type":"stock_adjusted","occurred_at":"2204-03-01T10:00:00Z","sku":"A1","quantity":4,"reason":"count"}',
      'invalid_event',
    ],
  ])('rejects %s as %s, the reason a worker would dead-letter it for', (line, reason) => {
    expect(sut.convert([line], origin)).toBe(reason);
  });

  it('accepts historical event times and times up to a day ahead of now', () => {
    const now = Date.parse('2024-06-01T00:00:00Z');
    const converter = new EventsJsonlConverter(() => now);
    const at = (time: string) =>
      `{"event_type":"stock_adjusted","occurred_at":"${time}","sku":"A1","quantity":4,"reason":"count"}`;
    expect(converter.convert([at('2010-12-01T08:26:00Z')], origin)).toHaveLength(1);
    expect(converter.convert([at('2024-06-01T23:59:00Z')], origin)).toHaveLength(1);
    expect(converter.convert([at('2024-06-02T00:01:00Z')], origin)).toBe('invalid_event');
  });
});

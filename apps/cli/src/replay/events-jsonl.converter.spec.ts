import { EventsJsonlConverter } from './events-jsonl.converter';

describe(EventsJsonlConverter.name, () => {
  const sut = new EventsJsonlConverter();
  const origin = { file: 'events.jsonl', line: 7 };

  it('passes a valid event through and gives it an id from its line when it has none', () => {
    const line = '{"event_type":"stock_adjusted","sku":"A1","quantity":4,"reason":"count"}';
    expect(sut.convert([line], origin)).toEqual([
      { event_type: 'stock_adjusted', sku: 'A1', quantity: 4, reason: 'count', event_id: 'jsonl-events.jsonl-7' },
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
  ])('rejects %s as %s, the reason a worker would dead-letter it for', (line, reason) => {
    expect(sut.convert([line], origin)).toBe(reason);
  });
});

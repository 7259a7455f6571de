import { decodeForecastCursor, encodeForecastCursor } from './forecast-cursor';

describe(decodeForecastCursor.name, () => {
  it('reads back what it encoded, SKUs with no run-out and odd characters included', () => {
    const cursors = [
      { asOf: 1_709_290_800_000, after: { runOutAt: 1_709_400_000_000, sku: 'SKU-1', location: 'main' } },
      { asOf: 0, after: { runOutAt: null, sku: 'Ünï, "quoted"/sku', location: 'store leeds' } },
    ];
    for (const cursor of cursors) {
      const sut = encodeForecastCursor(cursor);
      expect(sut).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeForecastCursor(sut)).toEqual(cursor);
    }
  });

  it.each([
    ['not base64url', 'abc+/='],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['the wrong shape', Buffer.from('{"asOf":1}').toString('base64url')],
    ['a fractional time', Buffer.from('[1.5,null,"A","main"]').toString('base64url')],
    ['a negative run-out', Buffer.from('[1,-4,"A","main"]').toString('base64url')],
    ['an empty SKU', Buffer.from('[1,null,"","main"]').toString('base64url')],
    ['a numeric location', Buffer.from('[1,null,"A",7]').toString('base64url')],
  ])('refuses %s', (_what, text) => {
    expect(decodeForecastCursor(text)).toBeNull();
  });
});

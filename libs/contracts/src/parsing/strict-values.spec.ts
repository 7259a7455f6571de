import fc from 'fast-check';
import {
  encodeOpaqueCursor,
  LATEST_INSTANT_MS,
  parseDuration,
  parseInstant,
  parseOpaqueCursor,
  parseUtcOffset,
  parseWholeNumber,
} from './strict-values';

const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme-composite' }));
const anyValue = fc.oneof(anyText, fc.anything());

describe(parseInstant.name, () => {
  it.each([
    ['2024-02-29T12:00:00Z', Date.UTC(2024, 1, 29, 12)],
    ['2024-03-01T00:00:00+05:30', Date.UTC(2024, 1, 29, 18, 30)],
    ['2024-03-01 10:00', Date.UTC(2024, 2, 1, 10)],
    ['2024-03-01T10:00:00.123456789Z', Date.UTC(2024, 2, 1, 10, 0, 0, 123)],
  ])('reads %s', (text, expected) => {
    expect(parseInstant(text)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['2026-02-31T00:00:00Z', /no such day/],
    ['2023-02-29T00:00:00Z', /no such day/],
    ['2100-02-29T00:00:00Z', /no such day/],
    ['0000-01-01T00:00:00Z', /between 1970 and 2100/],
    ['0070-01-01T00:00:00Z', /between 1970 and 2100/],
    ['2100-01-01T00:00:00Z', /between 1970 and 2100/],
    ['2024-00-10T00:00:00Z', /no such month/],
    ['2024-01-01T24:00:00Z', /no such time of day/],
    ['2024-01-01T23:60:00Z', /no such time of day/],
    ['2024-01-01T23:59:60Z', /no such time of day/],
    ['2024-01-01T00:00:00+99:99', /offset between/],
    ['2024-01-01T00:00:00+14:01', /offset between/],
    ['2024-01-01', /ISO-8601/],
    [' 2024-01-01T00:00:00Z', /ISO-8601/],
    ['2024-01-01T00:00:00Z\n', /ISO-8601/],
    ['1e12', /ISO-8601/],
  ])('refuses %j', (text, problem) => {
    const result = parseInstant(text);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problem).toMatch(problem);
  });

  it('requires a zone where asked', () => {
    expect(parseInstant('2024-03-01T10:00:00', { requireZone: true })).toEqual({
      ok: false,
      problem: 'must carry a zone (Z or an offset like +01:00)',
    });
  });

  it('never throws, and whatever it accepts is inside the bounds', () => {
    fc.assert(
      fc.property(anyValue, fc.boolean(), (text, requireZone) => {
        const result = parseInstant(text, { requireZone, allowDateOnly: !requireZone });
        if (result.ok) expect(result.value >= 0 && result.value < LATEST_INSTANT_MS).toBe(true);
        else expect(result.problem.length).toBeGreaterThan(0);
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads back every instant it can write, in UTC and at any offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: LATEST_INSTANT_MS - 86_400_000 }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (time, offsetMinutes) => {
          expect(parseInstant(new Date(time).toISOString())).toEqual({ ok: true, value: time });
          const local = new Date(time + offsetMinutes * 60_000).toISOString().slice(0, 23);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const absolute = Math.abs(offsetMinutes);
          const zone = `${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
          const result = parseInstant(`${local}${zone}`);
          if (result.ok) expect(result.value).toBe(time);
          else expect(result.problem).toMatch(/between 1970 and 2100/);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('agrees with the calendar: a day exists exactly when Date keeps it in its month', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1970, max: 2099 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, day) => {
          const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T00:00:00Z`;
          const kept = new Date(Date.UTC(year, month - 1, day)).getUTCMonth() === month - 1;
          expect(parseInstant(text).ok).toBe(kept);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe(parseUtcOffset.name, () => {
  it('accepts exactly the offsets from -14:00 to +14:00', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('+', '-'),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        (sign, hours, minutes) => {
          const text = `${sign}${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
          const valid = minutes <= 59 && hours * 60 + minutes <= 14 * 60;
          const result = parseUtcOffset(text);
          expect(result.ok).toBe(valid);
          if (result.ok) expect(Math.abs(result.value)).toBe(hours * 60 + minutes);
        },
      ),
    );
  });

  it('never throws', () => {
    fc.assert(fc.property(anyValue, (text) => expect(typeof parseUtcOffset(text).ok).toBe('boolean')));
  });
});

describe(parseDuration.name, () => {
  it.each([
    ['3600', 3600],
    ['90s', 90],
    ['15m', 900],
    ['12h', 43_200],
    ['1d', 86_400],
  ])('reads %s', (text, seconds) => {
    expect(parseDuration(text, 86_400)).toEqual({ ok: true, value: seconds });
  });

  it.each(['0', '2d', '-5m', '1.5h', '1y', '12 h', '', '99999999999', '1e3'])(
    'refuses %j below a one-day cap',
    (text) => {
      expect(parseDuration(text, 86_400).ok).toBe(false);
    },
  );

  it('never throws and keeps every accepted duration within 1 s and the cap', () => {
    fc.assert(
      fc.property(anyValue, fc.integer({ min: 1, max: 10 ** 9 }), (text, cap) => {
        const result = parseDuration(text, cap);
        if (result.ok) expect(result.value >= 1 && result.value <= cap).toBe(true);
      }),
    );
  });
});

describe(parseWholeNumber.name, () => {
  it('accepts exactly the plain decimal numbers in range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 6 }), (value) => {
        expect(parseWholeNumber(String(value), 1, 5000)).toEqual(
          value >= 1 && value <= 5000 ? { ok: true, value } : { ok: false, problem: expect.any(String) },
        );
      }),
    );
    for (const text of ['1e3', '0x10', ' 5', '5 ', '+5', '-5', '5.0', ''])
      expect(parseWholeNumber(text, 1, 5000).ok).toBe(false);
  });
});

describe(parseOpaqueCursor.name, () => {
  const check = (decoded: unknown[]) =>
    decoded.length === 2 && typeof decoded[0] === 'number' && typeof decoded[1] === 'string' ? decoded : null;

  it('reads back what it wrote', () => {
    fc.assert(
      fc.property(fc.integer(), fc.string(), (number, text) => {
        expect(parseOpaqueCursor(encodeOpaqueCursor([number, text]), check)).toEqual({
          ok: true,
          value: [number, text],
        });
      }),
    );
  });

  it('refuses anything else without throwing', () => {
    fc.assert(
      fc.property(anyValue, (text) => {
        const result = parseOpaqueCursor(text, check);
        if (result.ok) expect(check(result.value)).not.toBeNull();
        else expect(result.problem).toBe('must be a cursor from nextCursor');
      }),
    );
  });
});

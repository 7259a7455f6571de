/**
 * Money travels as integer cents inside Stockwall and as decimal strings at the edges,
 * so no float ever drifts. Parsing goes through the decimal text, never through `x * 100`.
 */
const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Parses a decimal amount (number or string) into integer cents, rounding half away from zero. */
export function toCents(amount: number | string): number | undefined {
  const text = typeof amount === 'number' ? numberToPlainString(amount) : amount.trim();
  if (text === undefined) return undefined;
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const [, minus, whole, fraction = ''] = match;
  const padded = (fraction + '000').slice(0, 3);
  let cents = Number(whole) * 100 + Number(padded.slice(0, 2));
  if (Number(padded[2]) >= 5) cents += 1;
  if (!Number.isSafeInteger(cents)) return undefined;
  return minus && cents !== 0 ? -cents : cents;
}

function numberToPlainString(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  // toString gives exponents for very small or large numbers; toFixed(6) keeps plain digits.
  const text = value.toString();
  return text.includes('e') ? value.toFixed(6) : text;
}

/** Formats integer cents as a decimal string with two places: 1234 → "12.34". */
export function formatCents(cents: number): string {
  const negative = cents < 0;
  const absolute = Math.abs(Math.trunc(cents));
  const text = `${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

/**
 * Personal data is never stored or shown: dead letters keep a rejected record's bytes and the
 * reason's detail, so both go through this first. Runs only for rejected records, never per event.
 */
export const REDACTED = '[redacted]';

// Keys whose values are personal, in any case, with `_`, `-` or nothing between words.
// (`customer_id` is not among them: the wire contract carries it, pseudonymous.)
const PERSONAL_KEY =
  '(?:card[_-]?(?:number|no|num)?|credit[_-]?card(?:[_-]?number)?|pan|cvv|cvc|' +
  '(?:customer|first|last|full|card[_-]?holder)[_-]?name|customer[_-]?email|e[_-]?mail(?:[_-]?address)?|' +
  '(?:phone|mobile|telephone)(?:[_-]?(?:number|no))?|address|postcode|zip[_-]?code)';
/**
 * `"key": value` in JSON-looking text: a string (also one cut off by truncation), a number or a
 * literal. The key and colon are kept; the value becomes `"[redacted]"`.
 */
const PERSONAL_VALUE = new RegExp(
  `("${PERSONAL_KEY}"\\s*:\\s*)(?:"(?:[^"\\\\]|\\\\[\\s\\S])*(?:"|\\\\?$)|[^\\s,}\\]]+)`,
  'gi',
);
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** Digits, with single spaces or dashes between them, not inside a longer run of digits. */
const DIGIT_RUN = /(?<!\d)\d(?:[ -]?\d){12,}(?!\d)/g;

/** Card number check digit (ISO/IEC 7812). */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * A card number: 13–19 digits passing the Luhn check, or any 16 digits. Issued cards pass Luhn,
 * but test and made-up numbers often do not (most of the café data set's card numbers fail it),
 * and 16 digits is the common card length; 13-digit epoch milliseconds and longer ids are kept.
 */
function isCardNumber(digits: string): boolean {
  return digits.length === 16 || (digits.length >= 13 && digits.length <= 19 && passesLuhn(digits));
}

/**
 * Redacts the card numbers in a run of digit groups: the whole run, or consecutive groups of it
 * (`12 4111 1111 1111 1111`: a quantity, then a card), leftmost and longest first.
 */
function redactCardsInRun(run: string): string {
  const tokens = run.split(/([ -])/); // groups at even indexes, separators between them
  const groups = tokens.filter((_, index) => index % 2 === 0);
  const out: string[] = [];
  let index = 0;
  while (index < groups.length) {
    let end = -1;
    let digits = '';
    for (let next = index; next < groups.length && digits.length < 19; next++) {
      digits += groups[next];
      if (digits.length <= 19 && isCardNumber(digits)) end = next;
    }
    if (out.length > 0) out.push(tokens[index * 2 - 1]);
    if (end >= 0) {
      out.push(REDACTED);
      index = end + 1;
    } else {
      out.push(groups[index]);
      index++;
    }
  }
  return out.join('');
}

/** The text with card numbers, e-mail addresses and the values of personal keys redacted. */
export function redactPersonalData(text: string): string {
  return text.replace(PERSONAL_VALUE, `$1"${REDACTED}"`).replace(EMAIL, REDACTED).replace(DIGIT_RUN, redactCardsInRun);
}

/**
 * The same for raw bytes, whatever their encoding: read byte for byte (latin1), so bytes that are
 * not redacted are kept exactly (UTF-8 or not); everything matched is ASCII.
 */
export function redactPersonalBytes(data: Uint8Array): Buffer {
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
  const redacted = redactPersonalData(text);
  return redacted === text ? Buffer.from(data) : Buffer.from(redacted, 'latin1');
}

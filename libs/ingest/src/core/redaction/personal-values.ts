import { QUOTE, BACKSLASH, COLON, isSpace, REDACTED } from './characters';

// Keys whose values are personal, in any case, with `_`, `-`, a space or nothing between words:
// card data, contact details, and anything that names a person (`holder`, `buyer`, `customer_name`).
// (`customer_id` is not among them: the wire contract carries it, pseudonymous; nor `product_name`.)
export const PERSONAL_KEY = new RegExp(
  '^(?:card[_ -]?(?:number|no|num)?|credit[_ -]?card(?:[_ -]?number)?|pan|cvv|cvc|cvv2|iban|ssn|' +
    '(?:customer|buyer|client|payer|recipient|contact|person|user|account[_ -]?holder|card[_ -]?holder|holder|' +
    'first|last|full|given|family|middle|sur|maiden|billing|shipping)[_ -]?name|name[_ -]?on[_ -]?card|surname|' +
    'holder|card[_ -]?holder|buyer|payer|recipient|customer|cardholder[_ -]?name|' +
    'customer[_ -]?email|e[_ -]?mail(?:[_ -]?address)?|' +
    '(?:phone|mobile|telephone|tel|cell)(?:[_ -]?(?:number|no))?|(?:billing|shipping|street|home)?[_ -]?address|' +
    'postcode|post[_ -]?code|zip[_ -]?code|date[_ -]?of[_ -]?birth|birth[_ -]?date|dob)$',
  'i',
);
/** Longer than any personal key ("credit_card_number"): longer quoted text is not tried as one. */
export const MAX_KEY_LENGTH = 32;
/** A key written with JSON escapes (`customer\u005fname`) is decoded before it is tried: at most 6 characters each. */
const MAX_ESCAPED_KEY_LENGTH = MAX_KEY_LENGTH * 6;

/** Whether a quoted key (as written, escapes and all) names personal data. */
export function isPersonalKey(written: string): boolean {
  if (written.length > MAX_ESCAPED_KEY_LENGTH) return false;
  let key = written;
  if (written.includes('\\')) {
    try {
      key = JSON.parse(`"${written}"`) as string;
    } catch {
      return false;
    }
  }
  return key.length <= MAX_KEY_LENGTH && PERSONAL_KEY.test(key.trim());
}

/** Where a JSON-ish value starting at `start` ends: a string (maybe cut off), or a bare token; `start` if none. */
function valueEnd(text: string, start: number): number {
  if (start >= text.length) return start;
  if (text.charCodeAt(start) === QUOTE) {
    let index = start + 1;
    while (index < text.length) {
      const code = text.charCodeAt(index);
      if (code === QUOTE) return index + 1;
      // An escape takes the next character whatever it is; a lone backslash at the end ends the text.
      index += code === BACKSLASH ? 2 : 1;
    }
    return text.length;
  }
  let index = start;
  while (index < text.length) {
    // A card number or address already redacted by the passes before is part of the bare value.
    if (text.startsWith(REDACTED, index)) {
      index += REDACTED.length;
      continue;
    }
    const code = text.charCodeAt(index);
    if (isSpace(code) || code === 0x2c || code === 0x7d || code === 0x5d) break; // , } ]
    index++;
  }
  return index;
}

function skipSpaces(text: string, index: number): number {
  while (index < text.length && isSpace(text.charCodeAt(index))) index++;
  return index;
}

/**
 * `"key": value` in JSON-looking text, for a personal key: the key, colon and spaces are kept and
 * the value (a string, also one cut off by truncation, a number or a literal) becomes `"[redacted]"`.
 */
export function redactPersonalValues(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  let quote = text.indexOf('"');
  while (quote !== -1) {
    const close = text.indexOf('"', quote + 1);
    if (close === -1) break;
    if (close - quote - 1 <= MAX_ESCAPED_KEY_LENGTH && isPersonalKey(text.slice(quote + 1, close))) {
      const colon = skipSpaces(text, close + 1);
      if (text.charCodeAt(colon) === COLON) {
        const start = skipSpaces(text, colon + 1);
        const end = valueEnd(text, start);
        if (end > start) {
          parts.push(text.slice(copied, start), `"${REDACTED}"`);
          copied = end;
          quote = text.indexOf('"', end);
          continue;
        }
      }
    }
    // The closing quote may open the next key (`"x""email":…`).
    quote = close;
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

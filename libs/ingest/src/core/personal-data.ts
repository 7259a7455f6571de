/**
 * Personal data is never stored or shown: dead letters keep a rejected record's bytes and the
 * reason's detail, so both go through this first. Runs only for rejected records, never per event.
 *
 * Every pass is a hand-written scanner that reads each character a bounded number of times: a
 * rejected record is untrusted input, and a backtracking regex over it (an e-mail pattern costs
 * O(n²) on a long run of letters) would let one record stall its shard.
 */
export const REDACTED = '[redacted]';

// Keys whose values are personal, in any case, with `_`, `-`, a space or nothing between words:
// card data, contact details, and anything that names a person (`holder`, `buyer`, `customer_name`).
// (`customer_id` is not among them: the wire contract carries it, pseudonymous; nor `product_name`.)
const PERSONAL_KEY = new RegExp(
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
const MAX_KEY_LENGTH = 32;
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

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const AT = 0x40;
const DOT = 0x2e;
const SPACE = 0x20;
const DASH = 0x2d;

/** `\s` of a JavaScript regex. */
function isSpace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    code === SPACE ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

const isDigit = (code: number) => code >= 0x30 && code <= 0x39;
const isLetter = (code: number) => (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
/** A character of a domain label: `[A-Za-z0-9-]`. */
const isLabelCharacter = (code: number) => isLetter(code) || isDigit(code) || code === DASH;
/** A character of an e-mail local part: `[A-Za-z0-9._%+-]`. */
const isLocalCharacter = (code: number) =>
  isLabelCharacter(code) || code === DOT || code === 0x5f || code === 0x25 || code === 0x2b;

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

/** A digit doubled as the Luhn check does: 2d, minus 9 above 9. */
const doubled = (digit: number) => (digit * 2 > 9 ? digit * 2 - 9 : digit * 2);

/**
 * Redacts the card numbers in a run of digit groups (single spaces or dashes between them): the
 * whole run, or consecutive groups of it (`12 4111 1111 1111 1111`: a quantity, then a card),
 * leftmost and longest first. A card number is 13–19 digits passing the Luhn check, or any 16
 * digits: issued cards pass Luhn, but test and made-up numbers often do not (most of the café data
 * set's card numbers fail it), and 16 digits is the common card length; 13-digit epoch
 * milliseconds and longer ids are kept. At most 19 digits are read from each group on: linear.
 */
function redactCardsInRun(run: string): string {
  const groupEnd = (from: number) => {
    let index = from;
    while (index < run.length && isDigit(run.charCodeAt(index))) index++;
    return index;
  };
  const parts: string[] = [];
  let copied = 0;
  let groupStart = 0;
  while (groupStart < run.length) {
    const firstEnd = groupEnd(groupStart);
    let cardEnd = -1;
    let count = 0;
    // The Luhn sum of the digits so far, for both parities: which digits are doubled depends on
    // the length, counted from the right.
    let evenDoubled = 0;
    let oddDoubled = 0;
    for (let next = groupStart; next < run.length && count < 19;) {
      const end = groupEnd(next);
      if (count + end - next > 19) break;
      for (let index = next; index < end; index++, count++) {
        const digit = run.charCodeAt(index) - 48;
        evenDoubled += count % 2 === 0 ? doubled(digit) : digit;
        oddDoubled += count % 2 === 1 ? doubled(digit) : digit;
      }
      const luhn = (count % 2 === 0 ? evenDoubled : oddDoubled) % 10 === 0;
      if (count === 16 || (count >= 13 && luhn)) cardEnd = end;
      next = end + 1; // past the separator
    }
    if (cardEnd >= 0) {
      parts.push(run.slice(copied, groupStart), REDACTED);
      copied = cardEnd;
      groupStart = cardEnd + 1;
    } else {
      groupStart = firstEnd + 1;
    }
  }
  if (copied === 0) return run;
  parts.push(run.slice(copied));
  return parts.join('');
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
function redactPersonalValues(text: string): string {
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

/**
 * Where the domain of an address whose `@` is just before `start` ends, or -1: labels of
 * `[A-Za-z0-9-]` between single dots, up to the last label that starts with two letters, which
 * ends at its last leading letter (`a@b.com1` is `a@b.com`).
 */
function domainEnd(text: string, start: number): number {
  let index = start;
  while (index < text.length && isLabelCharacter(text.charCodeAt(index))) index++;
  if (index === start) return -1;
  let end = -1;
  while (text.charCodeAt(index) === DOT) {
    const labelStart = index + 1;
    let labelEnd = labelStart;
    while (labelEnd < text.length && isLabelCharacter(text.charCodeAt(labelEnd))) labelEnd++;
    if (labelEnd === labelStart) break;
    let letters = labelStart;
    while (letters < labelEnd && isLetter(text.charCodeAt(letters))) letters++;
    if (letters - labelStart >= 2) end = letters;
    index = labelEnd;
  }
  return end;
}

/**
 * E-mail addresses: `local@domain.tld`, the local part being the whole run of `[A-Za-z0-9._%+-]`
 * before the `@`. Each character is read at most twice (the local part backwards, the domain
 * forwards; neither crosses an `@`).
 */
function redactEmails(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  let at = text.indexOf('@');
  while (at !== -1) {
    let start = at;
    while (start > copied && isLocalCharacter(text.charCodeAt(start - 1))) start--;
    const end = start < at ? domainEnd(text, at + 1) : -1;
    if (end === -1) {
      at = text.indexOf('@', at + 1);
      continue;
    }
    parts.push(text.slice(copied, start), REDACTED);
    copied = end;
    at = text.indexOf('@', end);
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/**
 * Card numbers: runs of digits with single spaces, dashes or dots between them, not inside a longer
 * run of digits, of 13 digits or more, redacted group by group (redactCardsInRun).
 */
function redactCardNumbers(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  let index = 0;
  while (index < text.length) {
    if (!isDigit(text.charCodeAt(index))) {
      index++;
      continue;
    }
    const start = index;
    let digits = 1;
    index++;
    while (index < text.length) {
      const code = text.charCodeAt(index);
      if (isDigit(code)) {
        index++;
        digits++;
      } else if ((code === SPACE || code === DASH || code === DOT) && isDigit(text.charCodeAt(index + 1))) {
        index += 2;
        digits++;
      } else break;
    }
    if (digits >= 13) {
      parts.push(text.slice(copied, start), redactCardsInRun(text.slice(start, index)));
      copied = index;
    }
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

const OPEN_PARENTHESIS = 0x28;
const CLOSE_PARENTHESIS = 0x29;
const PLUS = 0x2b;
const isPhoneSeparator = (code: number) =>
  code === SPACE || code === DASH || code === DOT || code === OPEN_PARENTHESIS || code === CLOSE_PARENTHESIS;
/** A character that may not touch a phone number: it would be part of an id, a word or a longer number. */
const isWordCharacter = (code: number) => isLetter(code) || isDigit(code) || code === 0x5f;

/**
 * Whether the character at `index` ties a number to a word beside it: a letter or digit, or a
 * dash or dot with one beyond it (`ORD-555-123-4567` is an id). `step` is the side, -1 or 1.
 */
function joinsWord(text: string, index: number, step: -1 | 1): boolean {
  if (index < 0 || index >= text.length) return false;
  const code = text.charCodeAt(index);
  if (isWordCharacter(code)) return true;
  const beyond = index + step;
  return (
    (code === DASH || code === DOT) && beyond >= 0 && beyond < text.length && isWordCharacter(text.charCodeAt(beyond))
  );
}

/**
 * Phone numbers: `+` and 8-15 digits (international), or 10-11 digits in three or more groups
 * (`(555) 123-4567`, `020 7946 0958`), with single separators (space, dash, dot, parentheses) and
 * no letter or digit touching either end. Each character is read at most twice.
 */
function redactPhones(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  let index = 0;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    const international = code === PLUS && isDigit(text.charCodeAt(index + 1));
    const opens = international || isDigit(code) || (code === OPEN_PARENTHESIS && isDigit(text.charCodeAt(index + 1)));
    if (!opens || joinsWord(text, index - 1, -1)) {
      index++;
      continue;
    }
    const start = index;
    let digits = 0;
    let groups = 1;
    let end = index;
    index += international || code === OPEN_PARENTHESIS ? 1 : 0;
    while (index < text.length) {
      const next = text.charCodeAt(index);
      if (isDigit(next)) {
        digits++;
        index++;
        end = index;
      } else if (isPhoneSeparator(next)) {
        // One separator, or `) ` after an area code.
        let after = index + 1;
        if (next === CLOSE_PARENTHESIS && text.charCodeAt(after) === SPACE) after++;
        if (!isDigit(text.charCodeAt(after))) break;
        groups++;
        index = after;
      } else break;
    }
    const touches = joinsWord(text, end, 1);
    const phone = international ? digits >= 8 && digits <= 15 : digits >= 10 && digits <= 11 && groups >= 3;
    if (phone && !touches) {
      parts.push(text.slice(copied, start), REDACTED);
      copied = end;
    }
    index = Math.max(index, start + 1);
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/**
 * The text with card numbers, e-mail addresses, phone numbers and the values of personal keys
 * redacted. Linear in its length.
 */
export function redactPersonalData(text: string): string {
  // Values last: a bare value ends at a space, so it would take the first group of a card number
  // written with spaces (`"phone": 4539 5787 …`) and leave the rest too short to be recognised.
  // Phones after cards: a card's groups would otherwise pass for a phone's.
  return redactPersonalValues(redactPhones(redactCardNumbers(redactEmails(text))));
}

/**
 * A free-text field of an accepted event (an adjustment's `reason`) as it may be stored: card
 * numbers, addresses and phone numbers redacted. Text without 8 digits or an `@` is returned as is
 * after one cheap pass.
 */
export function redactFreeText(text: string): string {
  let digits = 0;
  for (let index = 0; index < text.length && digits < 8; index++) {
    const code = text.charCodeAt(index);
    if (code === AT) return redactPersonalData(text);
    if (isDigit(code)) digits++;
  }
  return digits >= 8 ? redactPersonalData(text) : text;
}

/**
 * Every string of a parsed JSON value, under any key, with personal data redacted, and the whole
 * value of every personal key (the key as decoded, so `customer\u005fname` counts). Strings are
 * the decoded text, so escapes (`\u0034111…`) hide nothing. Linear in the value's size.
 */
export function redactJsonValue(value: unknown): unknown {
  if (typeof value === 'string') return redactPersonalData(value);
  if (Array.isArray(value)) return value.map((item) => redactJsonValue(item));
  if (typeof value !== 'object' || value === null) return value;
  const redacted: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    redacted[redactPersonalData(key)] =
      key.length <= MAX_KEY_LENGTH && PERSONAL_KEY.test(key.trim()) ? REDACTED : redactJsonValue(item);
  }
  return redacted;
}

/**
 * The same for raw bytes, whatever their encoding: read byte for byte (latin1), so bytes that are
 * not redacted are kept exactly (UTF-8 or not); everything matched is ASCII.
 */
export function redactPersonalBytes(data: Uint8Array): Buffer {
  const encoding = textEncodingOf(data);
  const text = decodeBytes(data, encoding);
  const redacted = redactPersonalData(text);
  return redacted === text ? Buffer.from(data) : encodeText(redacted, encoding);
}

/** How a record's bytes are read for redaction: latin1 (byte for byte), or UTF-16 when they are. */
export type RedactionEncoding = 'latin1' | 'utf16le' | 'utf16be';

/**
 * UTF-16 (a byte order mark, or a zero in every other byte of the first 64): its ASCII characters
 * are two bytes each, so read byte for byte a card number would be digits between zeros, which no
 * pass recognises.
 */
export function textEncodingOf(data: Uint8Array): RedactionEncoding {
  if (data.byteLength >= 2) {
    if (data[0] === 0xff && data[1] === 0xfe) return 'utf16le';
    if (data[0] === 0xfe && data[1] === 0xff) return 'utf16be';
  }
  const pairs = Math.min(32, Math.floor(data.byteLength / 2));
  if (pairs < 2) return 'latin1';
  let evenZeros = 0;
  let oddZeros = 0;
  for (let index = 0; index < pairs; index++) {
    if (data[2 * index] === 0) evenZeros++;
    if (data[2 * index + 1] === 0) oddZeros++;
  }
  if (oddZeros === pairs && evenZeros === 0) return 'utf16le';
  if (evenZeros === pairs && oddZeros === 0) return 'utf16be';
  return 'latin1';
}

/** The bytes as text in `encoding` (a trailing odd byte of UTF-16 is left out). */
export function decodeBytes(data: Uint8Array, encoding: RedactionEncoding): string {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (encoding === 'latin1') return buffer.toString('latin1');
  const even = buffer.subarray(0, buffer.byteLength - (buffer.byteLength % 2));
  return encoding === 'utf16le' ? even.toString('utf16le') : Buffer.from(even).swap16().toString('utf16le');
}

function encodeText(text: string, encoding: RedactionEncoding): Buffer {
  if (encoding === 'latin1') return Buffer.from(text, 'latin1');
  const bytes = Buffer.from(text, 'utf16le');
  return encoding === 'utf16le' ? bytes : bytes.swap16();
}

/** Read past the kept length, so that what redaction shortens is still filled from the record. */
export const HEAD_MARGIN = 256;
/** How far past the head a run of address or card characters is followed to its end before it is dropped. */
export const HEAD_LOOKAHEAD = 16_384;

/** A character that can be part of an e-mail address or a card number: `[A-Za-z0-9._%+@-]`. */
const isAddressOrCardCharacter = (code: number) => isLocalCharacter(code) || code === AT;

/**
 * Whether cutting `text` before `index` can cut an e-mail address or a card number in two: the
 * characters on both sides could belong to one (a space only between digits).
 */
function cutsThrough(text: string, index: number): boolean {
  if (index <= 0 || index >= text.length) return false;
  const before = text.charCodeAt(index - 1);
  const after = text.charCodeAt(index);
  if (isAddressOrCardCharacter(before) && isAddressOrCardCharacter(after)) return true;
  if (before === SPACE) return isDigit(after) && isDigit(text.charCodeAt(index - 2));
  if (after === SPACE) return isDigit(before) && isDigit(text.charCodeAt(index + 1));
  return false;
}

/**
 * Where to cut `head` near `length` so that no e-mail address or card number is cut in two: the
 * first safe place from `length` on within HEAD_LOOKAHEAD, else the last one before it (a run of
 * such characters that long is dropped whole: no part of it can be told from a partial address).
 * `complete` says whether `head` is the whole text; if not, it must reach HEAD_LOOKAHEAD + 2 past `length`.
 */
function safeCut(head: string, length: number, complete: boolean): number {
  if (complete && length >= head.length) return head.length;
  const limit = Math.min(complete ? head.length : head.length - 2, length + HEAD_LOOKAHEAD);
  for (let index = length; index <= limit; index++) if (!cutsThrough(head, index)) return index;
  let index = length;
  while (index > 0 && cutsThrough(head, index)) index--;
  return index;
}

/** How much of a text or record is read to keep `keep` characters of it. */
const headLength = (keep: number) => keep + HEAD_MARGIN + HEAD_LOOKAHEAD + 2;

function redactHead(head: string, complete: boolean, keep: number): string {
  return redactPersonalData(head.slice(0, safeCut(head, keep + HEAD_MARGIN, complete))).slice(0, keep);
}

/**
 * The first `keep` characters of the text with personal data redacted, reading only its head:
 * bounded work whatever the length. The head ends where no address or card number is cut in two
 * (a personal value cut off there is redacted to its end), so nothing partial is kept; the result
 * is what redacting the whole text and cutting it would keep, or a shorter beginning of it.
 */
export function redactedHead(text: string, keep: number): string {
  const length = headLength(keep);
  return redactHead(text.length > length ? text.slice(0, length) : text, text.length <= length, keep);
}

/** The same for raw bytes (read as latin1, see redactPersonalBytes): at most `keep` bytes. */
export function redactedHeadBytes(data: Uint8Array, keep: number): Buffer {
  const encoding = textEncodingOf(data);
  const width = encoding === 'latin1' ? 1 : 2;
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(data.byteLength, headLength(keep) * width));
  const complete = head.byteLength === data.byteLength;
  const kept = redactHead(decodeBytes(head, encoding), complete, Math.floor(keep / width));
  return encodeText(kept, encoding);
}

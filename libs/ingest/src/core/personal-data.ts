/**
 * Personal data is never stored or shown: dead letters keep a rejected record's bytes and the
 * reason's detail, so both go through this first. Runs only for rejected records, never per event.
 *
 * Every pass is a hand-written scanner that reads each character a bounded number of times: a
 * rejected record is untrusted input, and a backtracking regex over it (an e-mail pattern costs
 * O(n²) on a long run of letters) would let one record stall its shard.
 */
import { redactCardNumbers } from './redaction/card-numbers';
import { AT, SPACE, isDigit, isLocalCharacter, REDACTED } from './redaction/characters';
import { redactEmails } from './redaction/emails';
import { MAX_KEY_LENGTH, PERSONAL_KEY, redactPersonalValues } from './redaction/personal-values';
import { redactPhones } from './redaction/phones';

export { isPersonalKey } from './redaction/personal-values';
export { REDACTED } from './redaction/characters';
export { passesLuhn } from './redaction/card-numbers';

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

import { DOT, SPACE, DASH, isDigit, isLetter, REDACTED } from './characters';

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
export function redactPhones(text: string): string {
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

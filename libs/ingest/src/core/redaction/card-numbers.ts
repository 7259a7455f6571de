import { DOT, SPACE, DASH, isDigit, REDACTED } from './characters';

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

/**
 * Card numbers: runs of digits with single spaces, dashes or dots between them, not inside a longer
 * run of digits, of 13 digits or more, redacted group by group (redactCardsInRun).
 */
export function redactCardNumbers(text: string): string {
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

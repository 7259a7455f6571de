import { DOT, isLetter, isLabelCharacter, isLocalCharacter, REDACTED } from './characters';

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
export function redactEmails(text: string): string {
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

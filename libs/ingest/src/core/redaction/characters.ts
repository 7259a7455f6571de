/** What every redacted value is replaced with. */
export const REDACTED = '[redacted]';

/** Character codes and classes the redaction scanners read text with (each character a bounded number of times). */
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COLON = 0x3a;
export const AT = 0x40;
export const DOT = 0x2e;
export const SPACE = 0x20;
export const DASH = 0x2d;

/** `\s` of a JavaScript regex. */
export function isSpace(code: number): boolean {
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

export const isDigit = (code: number) => code >= 0x30 && code <= 0x39;
export const isLetter = (code: number) => (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
/** A character of a domain label: `[A-Za-z0-9-]`. */
export const isLabelCharacter = (code: number) => isLetter(code) || isDigit(code) || code === DASH;
/** A character of an e-mail local part: `[A-Za-z0-9._%+-]`. */
export const isLocalCharacter = (code: number) =>
  isLabelCharacter(code) || code === DOT || code === 0x5f || code === 0x25 || code === 0x2b;

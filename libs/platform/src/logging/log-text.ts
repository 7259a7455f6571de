/** Longest piece of client input quoted in one log line. */
const MAX_LOGGED_CHARS = 200;

// C0 and C1 controls, DEL, line and paragraph separators, and the bidi controls that reorder text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Control characters written as escapes (`\n`, `\u001b`), so no text can start a forged line or recolour a terminal. */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL, (character) => {
    if (character === '\n') return '\\n';
    if (character === '\r') return '\\r';
    if (character === '\t') return '\\t';
    return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** Client input as it may appear in a log line: control characters escaped, long input cut. */
export function escapeForLog(text: unknown, maxChars = MAX_LOGGED_CHARS): string {
  const value = typeof text === 'string' ? text : String(text);
  return escapeControlCharacters(
    value.length > maxChars ? `${value.slice(0, maxChars)}…(${value.length} chars)` : value,
  );
}

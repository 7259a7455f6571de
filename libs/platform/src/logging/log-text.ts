/** Longest piece of client input quoted in one log line. */
const MAX_LOGGED_CHARS = 200;

/**
 * Client input as it may appear in a log line: control characters (newlines, ANSI escapes,
 * NUL, bidi overrides) written as escapes, so input can never start a forged line or recolour a
 * terminal, and long input cut.
 */
export function escapeForLog(text: unknown, maxChars = MAX_LOGGED_CHARS): string {
  const value = typeof text === 'string' ? text : String(text);
  const cut = value.length > maxChars ? `${value.slice(0, maxChars)}…(${value.length} chars)` : value;
  // eslint-disable-next-line no-control-regex
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (character) =>
    character === '\n'
      ? '\\n'
      : character === '\r'
        ? '\\r'
        : character === '\t'
          ? '\\t'
          : `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

import { createHash } from 'node:crypto';

/** Hex digits of a row's content hash in its event ids: 48 bits after a prefix that already narrows it. */
export const CONTENT_HASH_DIGITS = 12;

/**
 * Identities of replayed rows, from what the rows say rather than where the file lies: the hash of
 * a row's normalized fields, and its occurrence among identical rows of the same file (the second
 * identical row of a file is a second sale). Moving, renaming or copying a file, or importing it from
 * another directory, keeps its ids; two files that differ get different ids whatever their names.
 */
export class RowIdentities {
  private readonly occurrences = new Map<string, number>();

  /**
   * `<hash>` for the first row of `file` with these fields, `<hash>-<n>` for the n-th identical one.
   * `file` only tells files apart within this replay; it is not part of the id.
   */
  next(file: string, fields: readonly string[], digits = CONTENT_HASH_DIGITS): string {
    const digest = createHash('sha256').update(fields.join('\u001f')).digest('hex');
    const key = `${file}\u0000${digest}`;
    const occurrence = (this.occurrences.get(key) ?? 0) + 1;
    this.occurrences.set(key, occurrence);
    const hash = digest.slice(0, digits);
    return occurrence === 1 ? hash : `${hash}-${occurrence}`;
  }
}

/** JSON text with object keys sorted at every level, so that key order does not change an identity. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([left], [right]) =>
      left < right ? -1 : left > right ? 1 : 0,
    );
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

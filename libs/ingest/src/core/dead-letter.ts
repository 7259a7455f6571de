import type { DeadLetter } from '@stockwall/contracts';
import { type DeadLetterReason, MAX_NESTING, nestsDeeperThan, type RecordContext } from './event-decoder';
import { decodeBytes, redactedHead, redactedHeadBytes, redactJsonValue, textEncodingOf } from './personal-data';

export { redactPersonalBytes, redactPersonalData } from './personal-data';

/** Raw bytes kept with a dead letter: enough to see what went wrong, never a whole large record. */
export const DEAD_LETTER_RAW_BYTES = 2048;
/** Characters kept of the reason's detail (the decoder's details are far shorter). */
export const DEAD_LETTER_DETAIL_CHARS = 1024;

/**
 * A rejected record as it is stored (Redis, MySQL) and shown (`GET /dead-letters`): card numbers,
 * e-mail addresses and personal JSON values are redacted from its bytes and from the detail
 * (which may quote the input). Only the record's head is read (DEAD_LETTER_RAW_BYTES and a
 * margin, ending where no address or card number is cut in two) and redacted before it is cut to
 * DEAD_LETTER_RAW_BYTES, so a record of any size costs the same and no number cut at the edge
 * escapes; `rawBytes` stays the original length.
 */
export function buildDeadLetter(
  streamName: string,
  data: Uint8Array,
  context: RecordContext,
  reason: DeadLetterReason,
  detail: string,
  receivedAt: number,
): DeadLetter {
  return {
    streamName,
    shardId: context.shardId,
    position: context.position,
    reason,
    detail: redactedHead(detail, DEAD_LETTER_DETAIL_CHARS),
    rawBase64: redactedRecordHead(data, DEAD_LETTER_RAW_BYTES).toString('base64'),
    rawBytes: data.byteLength,
    receivedAt,
  };
}

/** Records up to this size that are JSON are redacted value by value; larger ones by their head only. */
export const DEAD_LETTER_PARSED_BYTES = 1_048_576;

/**
 * A rejected record's bytes as kept: when it is JSON (UTF-8 or UTF-16), every string under every
 * key is redacted as decoded text and the record re-written as compact JSON, so no escape or key
 * spelling hides personal data; otherwise the byte scanner of its head (redactedHeadBytes).
 */
export function redactedRecordHead(data: Uint8Array, keep: number): Buffer {
  const parsed = data.byteLength <= DEAD_LETTER_PARSED_BYTES ? parseJsonRecord(data) : undefined;
  if (parsed === undefined) return redactedHeadBytes(data, keep);
  return Buffer.from(JSON.stringify(redactJsonValue(parsed)), 'utf8').subarray(0, keep);
}

function parseJsonRecord(data: Uint8Array): unknown {
  const encoding = textEncodingOf(data);
  let text =
    encoding === 'latin1'
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')
      : decodeBytes(data, encoding);
  text = text.replace(/^\uFEFF/, '');
  if (nestsDeeperThan(text, MAX_NESTING)) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

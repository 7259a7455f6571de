import type { DeadLetter } from '@stockwall/contracts';
import type { DeadLetterReason, RecordContext } from './event-decoder';
import { redactedHead, redactedHeadBytes } from './personal-data';

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
    rawBase64: redactedHeadBytes(data, DEAD_LETTER_RAW_BYTES).toString('base64'),
    rawBytes: data.byteLength,
    receivedAt,
  };
}

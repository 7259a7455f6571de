import type { DeadLetter } from '@stockwall/contracts';
import type { DeadLetterReason, RecordContext } from './event-decoder';
import { redactPersonalBytes, redactPersonalData } from './personal-data';

export { redactPersonalBytes, redactPersonalData } from './personal-data';

/** Raw bytes kept with a dead letter: enough to see what went wrong, never a whole large record. */
export const DEAD_LETTER_RAW_BYTES = 2048;

/**
 * A rejected record as it is stored (Redis, MySQL) and shown (`GET /dead-letters`): card numbers,
 * e-mail addresses and personal JSON values are redacted from its bytes and from the detail
 * (which may quote the input). The whole record is redacted before it is cut to
 * DEAD_LETTER_RAW_BYTES, so no number cut at the edge escapes; `rawBytes` stays the original length.
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
    detail: redactPersonalData(detail),
    rawBase64: redactPersonalBytes(data).subarray(0, DEAD_LETTER_RAW_BYTES).toString('base64'),
    rawBytes: data.byteLength,
    receivedAt,
  };
}

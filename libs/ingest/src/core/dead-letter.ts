import type { DeadLetter } from '@stockwall/contracts';
import type { DeadLetterReason, RecordContext } from './event-decoder';

/** Raw bytes kept with a dead letter: enough to see what went wrong, never a whole large record. */
export const DEAD_LETTER_RAW_BYTES = 2048;

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
    detail,
    rawBase64: Buffer.from(data.subarray(0, DEAD_LETTER_RAW_BYTES)).toString('base64'),
    rawBytes: data.byteLength,
    receivedAt,
  };
}

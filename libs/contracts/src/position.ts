/**
 * A record's place in a shard: its Kinesis sequence number and, for KPL-aggregated records,
 * the index of the user record inside it. Sequence numbers are up to 128-bit decimals, so they
 * are compared as BigInt (or, in Lua, by length then text), never as JS numbers.
 */
export interface StreamPosition {
  sequenceNumber: string;
  subSequence: number;
}

export function comparePositions(left: StreamPosition, right: StreamPosition): number {
  const a = BigInt(left.sequenceNumber);
  const b = BigInt(right.sequenceNumber);
  if (a !== b) return a < b ? -1 : 1;
  return left.subSequence - right.subSequence;
}

/** Text form used in job ids and logs: `<sequence>.<sub>`. */
export function formatPosition(position: StreamPosition): string {
  return `${position.sequenceNumber}.${position.subSequence}`;
}

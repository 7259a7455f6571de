import type { WriteStatus } from '@stockwall/contracts';

export type { WriteStatus };
export type WriteState = WriteStatus['state'];

/** How often the REST fallback asks, and from when: the socket usually answers first. */
export const WRITE_POLL_FIRST_MS = 1_500;
export const WRITE_POLL_EVERY_MS = 1_000;

/**
 * The next state of a write from what is heard about it (socket message or REST answer): a write
 * that is applied or rejected stays so; a pending answer never takes it back.
 */
export function nextWriteStatus(current: WriteStatus, heard: WriteStatus): WriteStatus {
  if (heard.eventId !== current.eventId || current.state !== 'pending' || heard.state === 'pending') return current;
  return heard.state === 'rejected' ? { ...heard, reason: heard.reason ?? 'refused' } : heard;
}

/** A REST answer of `GET /api/v1/writes/:eventId`, or null when the body is not one. */
export function writeStatusOf(body: unknown): WriteStatus | null {
  if (!body || typeof body !== 'object') return null;
  const { eventId, state, reason } = body as Record<string, unknown>;
  if (typeof eventId !== 'string') return null;
  if (state !== 'pending' && state !== 'applied' && state !== 'rejected') return null;
  return typeof reason === 'string' ? { eventId, state, reason } : { eventId, state };
}

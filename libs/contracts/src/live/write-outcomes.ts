/** Event ids of the writes the API puts on the stream start with this; the worker reports their outcome. */
export const API_WRITE_ID_PREFIX = 'api-';

export function isApiWriteId(eventId: string): boolean {
  return eventId.startsWith(API_WRITE_ID_PREFIX);
}

/** `write.applied`: the live state holds the write's effect. */
export interface WriteApplied {
  eventId: string;
  eventType: string;
  sku: string;
  location?: string;
}

/** `write.rejected`: the write was dead-lettered (the live apply refused it); the reason says why. */
export interface WriteRejected {
  eventId: string;
  reason: string;
}

/** What the apply records per API write, in the write-outcomes stream and under the write's status key. */
export type WriteOutcome = ({ state: 'applied' } & WriteApplied) | ({ state: 'rejected' } & WriteRejected);

/** `GET /api/v1/writes/:eventId`. */
export interface WriteStatus {
  eventId: string;
  state: 'pending' | 'applied' | 'rejected';
  reason?: string;
}

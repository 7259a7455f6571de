import type { QueueName } from './job-map';

export const DIGESTS_QUEUE = 'digests' satisfies QueueName;
export const DIGEST_JOB = 'digest';

export const DIGEST_KINDS = ['daily', 'weekly'] as const;
export type DigestKind = (typeof DIGEST_KINDS)[number];

/** A scheduled run carries only its kind (its period follows from when it fired); a requested one its period. */
export interface DigestJob {
  kind: DigestKind;
  /** An instant in the period to send (epoch ms); absent: the period before the scheduled time. */
  periodStart?: number;
}

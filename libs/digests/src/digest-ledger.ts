import type Redis from 'ioredis';
import type { DigestKind } from './digest-period';

/** What is kept of a sent digest. */
export interface SentDigest {
  kind: DigestKind;
  label: string;
  periodStart: string;
  sentAt: string;
  messageId: string;
  recipients: string[];
  worker: string;
}

export type Claim = { state: 'claimed' } | { state: 'sent'; record: SentDigest } | { state: 'busy'; holder: string };

/** A send takes seconds; a claim left by a process that died frees its period after this. */
export const DIGEST_CLAIM_MS = 10 * 60_000;

const SENDING = 'sending:';
const SENT = 'sent:';
// A sent marker outlives any retry or re-run of its period by far, and stays readable for a year.
const SENT_TTL_SECONDS = 400 * 86_400;

// Swaps the claim for the sent record, or removes it, only while it is still this sender's.
const SWAP = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) end
return 1`;

/**
 * One key per (digest kind, period start): `SET NX` with an expiry claims the period before the
 * e-mail is sent, the sent record replaces the claim once the SMTP server has accepted it, and a
 * failed send gives the claim back so a retry can send. A duplicated or retried job finds the
 * period claimed (it retries later) or sent (it does nothing).
 */
export class DigestLedger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** Longer than any send takes; a worker that died holding a claim frees its period after this. */
    private readonly claimMs: number,
  ) {}

  key(kind: DigestKind, periodStart: number): string {
    return `${this.prefix}digest:${kind}:${new Date(periodStart).toISOString()}`;
  }

  async claim(kind: DigestKind, periodStart: number, token: string): Promise<Claim> {
    const key = this.key(kind, periodStart);
    const taken = await this.redis.set(key, `${SENDING}${token}`, 'PX', this.claimMs, 'NX');
    if (taken === 'OK') return { state: 'claimed' };
    const value = (await this.redis.get(key)) ?? '';
    if (value.startsWith(SENT)) return { state: 'sent', record: JSON.parse(value.slice(SENT.length)) as SentDigest };
    // Released or expired between the two reads: claim again.
    if (value === '') return this.claim(kind, periodStart, token);
    return { state: 'busy', holder: value.slice(SENDING.length) };
  }

  /** Records the digest as sent; false when the claim was no longer this sender's (it outlived claimMs). */
  async markSent(periodStart: number, token: string, record: SentDigest): Promise<boolean> {
    const swapped = await this.redis.eval(
      SWAP,
      1,
      this.key(record.kind, periodStart),
      `${SENDING}${token}`,
      `${SENT}${JSON.stringify(record)}`,
      SENT_TTL_SECONDS,
    );
    return swapped === 1;
  }

  async release(kind: DigestKind, periodStart: number, token: string): Promise<void> {
    await this.redis.eval(SWAP, 1, this.key(kind, periodStart), `${SENDING}${token}`, '', 0);
  }

  async sent(kind: DigestKind, periodStart: number): Promise<SentDigest | null> {
    const value = await this.redis.get(this.key(kind, periodStart));
    return value?.startsWith(SENT) ? (JSON.parse(value.slice(SENT.length)) as SentDigest) : null;
  }
}

import { randomUUID } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import { collectDigest, type DigestSources } from './digest-content';
import type { DigestLedger, SentDigest } from './digest-ledger';
import type { DigestPeriod } from './digest-period';
import { renderDigest } from './digest-render';

export const DIGEST_HEADER = 'X-Stockwall-Digest';

/** Another run holds the period's claim: the job retries later and then finds it sent (or free). */
export class DigestBusyError extends Error {
  constructor(period: DigestPeriod, holder: string) {
    super(`the ${period.kind} digest ${period.label} is being sent by ${holder}`);
    this.name = 'DigestBusyError';
  }
}

export interface DigestDeliverySettings {
  from: string;
  to: string[];
  worker: string;
}

export type DeliveryOutcome =
  { outcome: 'sent'; record: SentDigest; marked: boolean } | { outcome: 'already-sent'; record: SentDigest };

/** The Message-ID of a period's digest: the same on any re-send, so a mail client can fold a duplicate. */
export function digestMessageId(period: DigestPeriod): string {
  const zone = period.timeZone.replace(/[^A-Za-z0-9]+/g, '-');
  return `<digest-${period.kind}-${period.label}-${zone}@stockwall>`;
}

/**
 * Sends a period's digest once: claim the period, read and render it, hand it to the SMTP server,
 * then record it as sent. A failure before the server accepted the message frees the claim, so the
 * job's retry sends it; a run that finds the period sent does nothing.
 */
export class DigestDelivery {
  constructor(
    private readonly sources: DigestSources,
    private readonly ledger: DigestLedger,
    private readonly mailer: Transporter,
    private readonly settings: DigestDeliverySettings,
  ) {}

  async deliver(period: DigestPeriod): Promise<DeliveryOutcome> {
    const token = `${this.settings.worker}:${randomUUID()}`;
    const claim = await this.ledger.claim(period.kind, period.start, token);
    if (claim.state === 'sent') return { outcome: 'already-sent', record: claim.record };
    if (claim.state === 'busy') throw new DigestBusyError(period, claim.holder);
    const messageId = digestMessageId(period);
    try {
      const rendered = renderDigest(await collectDigest(this.sources, period));
      await this.mailer.sendMail({
        from: this.settings.from,
        to: this.settings.to,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        attachments: rendered.attachments,
        messageId,
        textEncoding: 'base64',
        headers: { [DIGEST_HEADER]: `${period.kind} ${period.label} ${period.timeZone}` },
      });
    } catch (error) {
      await this.ledger.release(period.kind, period.start, token);
      throw error;
    }
    // Accepted by the SMTP server: from here on the period counts as sent.
    const record: SentDigest = {
      kind: period.kind,
      label: period.label,
      periodStart: new Date(period.start).toISOString(),
      sentAt: new Date().toISOString(),
      messageId,
      recipients: this.settings.to,
      worker: this.settings.worker,
    };
    const marked = await this.ledger.markSent(period.start, token, record);
    return { outcome: 'sent', record, marked };
  }
}

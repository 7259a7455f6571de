import { Counter, Registry } from 'prom-client';
import type { NotificationTarget } from './notification.job';

type TargetLabel = 'target';

/** Notification outcomes on the worker's /metrics, by target kind (`webhook`, `email`). */
export class NotificationMetrics {
  readonly sent: Counter<TargetLabel>;
  readonly failedAttempts: Counter<TargetLabel>;
  readonly exhausted: Counter<TargetLabel>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.sent = new Counter({
      name: 'stockwall_notifications_sent_total',
      help: 'Notifications delivered (webhook answered 2xx, or the SMTP server accepted the e-mail)',
      labelNames: ['target'],
      registers,
    });
    this.failedAttempts = new Counter({
      name: 'stockwall_notifications_failed_attempts_total',
      help: 'Delivery attempts that failed, retried or not',
      labelNames: ['target'],
      registers,
    });
    this.exhausted = new Counter({
      name: 'stockwall_notifications_exhausted_total',
      help: 'Notifications given up after their last attempt (kept in the failed set of the notifications queue)',
      labelNames: ['target'],
      registers,
    });
  }

  /** Starts the series of the configured targets at 0, so a rate() sees the first increment. */
  track(targets: readonly NotificationTarget[]): void {
    for (const { kind } of targets) {
      for (const counter of [this.sent, this.failedAttempts, this.exhausted]) counter.inc({ target: kind }, 0);
    }
  }
}

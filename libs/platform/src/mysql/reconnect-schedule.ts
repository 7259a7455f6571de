/** Reconnect waits double from a second up to this ceiling: an outage is polled, not hammered. */
export const MYSQL_RECONNECT_CEILING_MS = 15_000;

/**
 * The wait before reconnect attempt `attempt + 1` after `attempt` failed ones: 1 s, 2 s, 4 s, 8 s,
 * then 15 s, each shortened by up to a quarter at random so processes started together spread out.
 */
export function mysqlReconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const doublings = Math.min(Math.max(attempt - 1, 0), 10);
  const ceiling = Math.min(MYSQL_RECONNECT_CEILING_MS, 1_000 * 2 ** doublings);
  return Math.round(ceiling * (1 - random() * 0.25));
}

/**
 * Which failed reconnect attempts deserve a log line: the first, one whose reason differs from
 * the last one logged, and otherwise one per `quietMs`, so an outage of hours logs a handful of
 * lines, not thousands.
 */
export class ReconnectLogThrottle {
  private lastReason: string | null = null;
  private lastLoggedAt = 0;

  constructor(private readonly quietMs = 300_000) {}

  shouldLog(reason: string, now: number): boolean {
    if (reason === this.lastReason && now - this.lastLoggedAt < this.quietMs) return false;
    this.lastReason = reason;
    this.lastLoggedAt = now;
    return true;
  }

  /** After a success, the next failure is news again. */
  reset(): void {
    this.lastReason = null;
    this.lastLoggedAt = 0;
  }
}

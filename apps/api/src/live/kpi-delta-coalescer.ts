import type { KpisDelta, LiveKpis } from '@stockwall/contracts';
import { IDLE_DELTA_MS, MIN_FLUSH_INTERVAL_MS } from './stock-delta-coalescer';

/** How often a room's KPIs are read again when no change notice asked for it. */
export const KPI_REFRESH_MS = 5_000;

/** One read of a room's KPIs and the live-state version it reflects. */
export interface KpiReading {
  version: number;
  kpis: LiveKpis;
}

/**
 * Paces the KPI reads and `kpis.delta` messages of one room (one window and source).
 *
 * A room's KPIs are whole objects read from Redis, not merged rows: the coalescing is in when
 * the room reads. Change notices only mark the room stale; the next read covers all of them.
 * Reads never overlap, and one starts only `minIntervalMs` after the previous read started and
 * after the last delta went out, so two deltas are never closer than that (leading edge: a room
 * quiet for an interval reads at once). Without notices the room still reads every `refreshMs`.
 *
 * A reading becomes a delta when its figures differ from the last ones sent, or when only the
 * version moved and nothing was sent for `IDLE_DELTA_MS` (so clients can tell it is current).
 */
export class KpiDeltaCoalescer {
  private sentVersion: number;
  private sentFingerprint: string | null = null;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private lastReadAt = Number.NEGATIVE_INFINITY;
  /** The timed refresh counts from here: the last read, or the opening (its clients read snapshots then). */
  private refreshFrom: number;
  private seenVersion: number;
  private stale = false;
  /** The ticket of the read under way, or null; a reset invalidates it. */
  private reading: number | null = null;
  private tickets = 0;
  private retryAt = Number.NEGATIVE_INFINITY;

  /**
   * `initialVersion`: the version the room starts from (its first delta's `previousVersion`).
   * `now`: when it was opened; its subscribers read their snapshots then, so no timed read is due yet.
   */
  constructor(
    initialVersion: number,
    now: number,
    private readonly minIntervalMs = MIN_FLUSH_INTERVAL_MS,
    private readonly refreshMs = KPI_REFRESH_MS,
  ) {
    this.sentVersion = initialVersion;
    this.seenVersion = initialVersion;
    this.refreshFrom = now;
  }

  get version(): number {
    return this.sentVersion;
  }

  /** A change notice: the room's figures may have moved. */
  accept(version: number): void {
    if (version <= this.seenVersion) return;
    this.seenVersion = version;
    this.stale = true;
  }

  /** When the next read may start (possibly already past), or null while one is under way. */
  dueAt(): number | null {
    if (this.reading !== null) return null;
    const next = this.stale ? this.lastReadAt + this.minIntervalMs : this.refreshFrom + this.refreshMs;
    return Math.max(next, this.lastSentAt + this.minIntervalMs, this.retryAt);
  }

  /** Starts a read when one is due: returns its ticket, or null when none may start yet. */
  begin(now: number): number | null {
    const due = this.dueAt();
    if (due === null || now < due) return null;
    this.reading = ++this.tickets;
    this.lastReadAt = now;
    this.refreshFrom = now;
    // Notices from here on are not covered by this read: they make the room stale again.
    this.stale = false;
    return this.reading;
  }

  /** Ends a read; returns the delta to send, or null when there is nothing new (or the read was superseded). */
  complete(ticket: number, now: number, reading: KpiReading): KpisDelta | null {
    if (ticket !== this.reading) return null;
    this.reading = null;
    if (reading.version < this.sentVersion) return null;
    const fingerprint = JSON.stringify(reading.kpis);
    const changed = fingerprint !== this.sentFingerprint;
    const quietTooLong = reading.version > this.sentVersion && now >= this.lastSentAt + IDLE_DELTA_MS;
    if (!changed && !quietTooLong) return null;
    const delta: KpisDelta = {
      version: reading.version,
      previousVersion: this.sentVersion,
      watermark: reading.kpis.watermark,
      serverTime: new Date(now).toISOString(),
      kpis: reading.kpis,
    };
    this.sentVersion = reading.version;
    this.sentFingerprint = fingerprint;
    this.lastSentAt = now;
    if (reading.version > this.seenVersion) this.seenVersion = reading.version;
    return delta;
  }

  /** A read failed: the room stays stale and tries again after `refreshMs`. */
  fail(ticket: number, now: number): void {
    if (ticket !== this.reading) return;
    this.reading = null;
    this.stale = true;
    this.retryAt = now + this.refreshMs;
  }

  /**
   * The version went back (Redis was reset): the sequence restarts at `version`, the read under
   * way is dropped, and the next read is sent whatever it holds. The room's clients resubscribe.
   */
  reset(version: number): void {
    this.reading = null;
    this.sentVersion = version;
    this.seenVersion = version;
    this.sentFingerprint = null;
    this.stale = true;
  }
}

import type { StockDelta, StockRow } from '@stockwall/contracts';

/** How long a stream with no matching rows stays silent before a version-only delta says it is current. */
export const IDLE_DELTA_MS = 5_000;

/** The shortest gap between two deltas of one room: at most 4 per second. */
export const MIN_FLUSH_INTERVAL_MS = 250;

/**
 * Merges change notices for one channel and filter into at most one pending delta: rows are
 * keyed by SKU and location, so memory is bounded by the number of distinct rows, never by the
 * change rate. Each flushed delta covers every change after `previousVersion` up to `version`.
 *
 * Leading edge, then coalesce: a change to a room that sent nothing in the last interval may go
 * out at once; later ones wait for the interval to end. Two deltas are never closer than
 * `minIntervalMs`, so the rate bound holds while a lone change skips the wait.
 */
export class StockDeltaCoalescer {
  private readonly pending = new Map<string, StockRow>();
  private flushedVersion: number;
  private currentVersion: number;
  private watermark: string | null = null;
  private lastFlushAt = Number.NEGATIVE_INFINITY;

  constructor(
    initialVersion: number,
    private readonly location: string | null = null,
    private readonly minIntervalMs = MIN_FLUSH_INTERVAL_MS,
  ) {
    this.flushedVersion = initialVersion;
    this.currentVersion = initialVersion;
  }

  get version(): number {
    return this.currentVersion;
  }

  get pendingRows(): number {
    return this.pending.size;
  }

  /** Folds one notice in; notices at or below the held version are already covered. */
  accept(version: number, watermark: string | null, rows: readonly StockRow[]): void {
    if (version <= this.currentVersion) return;
    this.currentVersion = version;
    if (watermark !== null) this.watermark = watermark;
    for (const row of rows) {
      if (this.location !== null && row.location !== this.location) continue;
      this.pending.set(`${row.sku}\t${row.location}`, row);
    }
  }

  /** When the next delta may go out (possibly already past), or null when there is nothing to send. */
  dueAt(): number | null {
    if (this.currentVersion === this.flushedVersion) return null;
    return this.lastFlushAt + (this.pending.size === 0 ? IDLE_DELTA_MS : this.minIntervalMs);
  }

  /** The merged delta, or null when there is nothing worth sending yet or the last one was too recent. */
  flush(now: number): StockDelta | null {
    const due = this.dueAt();
    if (due === null || now < due) return null;
    const delta: StockDelta = {
      version: this.currentVersion,
      previousVersion: this.flushedVersion,
      watermark: this.watermark,
      serverTime: new Date(now).toISOString(),
      rows: [...this.pending.values()],
    };
    this.pending.clear();
    this.flushedVersion = this.currentVersion;
    this.lastFlushAt = now;
    return delta;
  }

  /** Drops what is pending and restarts the sequence at `version` (after a gap its clients resubscribe). */
  reset(version: number): void {
    this.pending.clear();
    this.flushedVersion = version;
    this.currentVersion = version;
  }
}

import type { StockDelta, StockRow } from '@stockwall/contracts';

/** How long a stream with no matching rows stays silent before a version-only delta says it is current. */
export const IDLE_DELTA_MS = 5_000;

/**
 * Merges change notices for one channel and filter into at most one pending delta: rows are
 * keyed by SKU and location, so memory is bounded by the number of distinct rows, never by the
 * change rate. Each flushed delta covers every change after `previousVersion` up to `version`.
 */
export class StockDeltaCoalescer {
  private readonly pending = new Map<string, StockRow>();
  private flushedVersion: number;
  private currentVersion: number;
  private watermark: string | null = null;
  private lastFlushAt = 0;

  constructor(
    initialVersion: number,
    private readonly location: string | null = null,
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

  /** The merged delta, or null when there is nothing worth sending yet. */
  flush(now: number): StockDelta | null {
    if (this.currentVersion === this.flushedVersion) return null;
    if (this.pending.size === 0 && now - this.lastFlushAt < IDLE_DELTA_MS) return null;
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

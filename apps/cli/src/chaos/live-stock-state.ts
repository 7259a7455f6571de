import type { StockDelta, StockRow, SubscribeAck } from '@stockwall/contracts';

/**
 * The stock rows a live client holds, following docs/live-protocol.md as the dashboard does:
 * deltas that come while a subscribe is under way wait for its snapshot; a delta is applied when
 * `previousVersion ≤ held < version`; a gap asks for a fresh subscribe.
 */
export class LiveStockState {
  readonly rows = new Map<string, StockRow>();
  version: number | null = null;
  gaps = 0;
  private pending = false;
  private buffered: StockDelta[] = [];

  constructor(private readonly resubscribe: () => void) {}

  /** A subscribe is sent: deltas wait for its snapshot. */
  subscribing(): void {
    this.pending = true;
    this.buffered = [];
  }

  /** The subscribe's snapshot, then the deltas that came meanwhile. */
  loadSnapshot(ack: Extract<SubscribeAck, { ok: true }>): void {
    this.rows.clear();
    for (const row of ack.snapshot.stock) this.rows.set(`${row.sku}\t${row.location}`, row);
    this.version = ack.version;
    this.pending = false;
    for (const delta of this.buffered.splice(0)) this.apply(delta);
  }

  receive(delta: StockDelta): void {
    if (this.pending) this.buffered.push(delta);
    else this.apply(delta);
  }

  private apply(delta: StockDelta): void {
    if (this.version === null || delta.version <= this.version) return;
    if (delta.previousVersion > this.version) {
      this.gaps++;
      this.resubscribe();
      return;
    }
    for (const row of delta.rows) this.rows.set(`${row.sku}\t${row.location}`, row);
    this.version = delta.version;
  }
}

import type { StockDelta } from '@stockwall/contracts';
import type { FollowerLink, LiveFollower, SubscribedAck } from './live-connection.svelte';
import type { LiveSocket } from './live-socket';
import { computeTotals, fromSnapshot, sortedKeys, upsertRows, type LiveStockRow, type StockTotals } from './stock-rows';

/** Longest wait for a frame before held changes are shown anyway (frames pause in hidden tabs). */
const PUBLISH_FALLBACK_MS = 100;

/**
 * Live stock per SKU and location from the `/live` namespace's `stock` channel.
 *
 * Holds the last snapshot with every delta folded in, keyed by SKU and location. Deltas are
 * coalesced by the server and cover every change after `previousVersion`: one whose version is
 * not above the held one is ignored; one whose `previousVersion` is above the held version
 * reveals a gap and asks the connection for a fresh subscribe, as does a `stock.resync`.
 *
 * Deltas are folded as they arrive, but the reactive state they feed (rows, version, watermark)
 * is published at most once per frame, so a burst of deltas costs one render.
 */
export class LiveStock implements LiveFollower {
  readonly channel = 'stock';
  /** The version of the shown state; null until the first snapshot. */
  version = $state<number | null>(null);
  /** The latest event time the shown state reflects (ISO-8601). */
  watermark = $state<string | null>(null);

  // Raw state: rows are replaced, never mutated, so a keyed each block re-renders only changed rows.
  #rows = $state.raw<ReadonlyMap<string, LiveStockRow>>(new Map());
  #order = $state.raw<readonly string[]>([]);

  /** Rows sorted by SKU then location. */
  readonly rows: LiveStockRow[] = $derived(this.#order.map((key) => this.#rows.get(key)!));
  readonly totals: StockTotals = $derived(computeTotals(this.#rows.values()));

  // The held truth, folded synchronously as messages arrive; published to the state above.
  #held = new Map<string, LiveStockRow>();
  #heldVersion: number | null = null;
  #heldWatermark: string | null = null;
  #rowsDirty = false;
  #orderDirty = false;
  #publishFrame: number | null = null;
  #publishTimer: ReturnType<typeof setTimeout> | null = null;
  #link: FollowerLink | null = null;

  attach(socket: LiveSocket, link: FollowerLink): void {
    this.#link = link;
    socket.on(
      'stock.delta',
      link.ordered((delta: StockDelta, now) => this.#fold(delta, now)),
    );
    socket.on('stock.resync', () => link.resubscribe());
  }

  acknowledge(ack: SubscribedAck, now: number): void {
    const { rows, sameKeys } = fromSnapshot(this.#held, ack.snapshot.stock, now);
    this.#held = rows;
    this.#heldVersion = ack.version;
    this.#heldWatermark = ack.watermark;
    this.#rowsDirty = true;
    if (!sameKeys) this.#orderDirty = true;
  }

  /** Applies one delta to the held state. */
  #fold(delta: StockDelta, now: number): void {
    const held = this.#heldVersion;
    // Nothing to fold into: the pending retry of the subscribe brings a snapshot.
    if (held === null || delta.version <= held) return;
    if (delta.previousVersion > held) {
      this.#link?.resubscribe();
      return;
    }
    const { changed, added } = upsertRows(this.#held, delta.rows, now);
    this.#heldVersion = delta.version;
    if (delta.watermark !== null) this.#heldWatermark = delta.watermark;
    if (changed > 0) this.#rowsDirty = true;
    if (added > 0) this.#orderDirty = true;
    this.#schedulePublish();
  }

  #schedulePublish(): void {
    if (this.#publishFrame !== null || this.#publishTimer !== null) return;
    const publish = () => this.publish();
    if (typeof requestAnimationFrame === 'function') this.#publishFrame = requestAnimationFrame(publish);
    this.#publishTimer = setTimeout(publish, PUBLISH_FALLBACK_MS);
  }

  /** Shows the held state: one reactive update for everything folded since the last one. */
  publish(): void {
    if (this.#publishFrame !== null) cancelAnimationFrame(this.#publishFrame);
    if (this.#publishTimer !== null) clearTimeout(this.#publishTimer);
    this.#publishFrame = null;
    this.#publishTimer = null;
    if (this.#rowsDirty) this.#rows = new Map(this.#held);
    if (this.#orderDirty) this.#order = sortedKeys(this.#held);
    this.#rowsDirty = false;
    this.#orderDirty = false;
    this.version = this.#heldVersion;
    this.watermark = this.#heldWatermark;
  }
}

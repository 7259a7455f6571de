import { untrack } from 'svelte';
import type { LiveChannel, LiveError, StockDelta, SubscribeAck, SubscribeRequest } from '@stockwall/contracts';
import {
  createLiveSocket,
  isUnauthorizedError,
  overloadedRetryMs,
  requestSubscribe,
  type LiveSocket,
} from './live-socket';
import { computeTotals, fromSnapshot, sortedKeys, upsertRows, type LiveStockRow, type StockTotals } from './stock-rows';

/**
 * - `connecting`: no snapshot held yet; the first handshake or subscribe is under way (or retrying).
 * - `live`: subscribed; the held rows follow the server's deltas.
 * - `reconnecting`: was live, lost the connection; the client retries with backoff and resubscribes.
 * - `offline`: not connected and no automatic retry under way (browser offline, closed, refused).
 * - `unauthorized`: the server rejected the token (or there is none); nothing is retried.
 */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'unauthorized';

export interface LiveStockOptions {
  /** Replaces the socket factory (tests, other origins). */
  createSocket?: (token: string) => LiveSocket;
}

/** Narrows what is subscribed to; without a location every location is shown. */
export type StockFilters = NonNullable<SubscribeRequest['filters']>;

const CHANNELS: LiveChannel[] = ['stock'];
/** Deltas held while a subscribe awaits its snapshot; past this a fresh snapshot is asked for instead. */
const MAX_BUFFERED_DELTAS = 1_000;
/** Before asking again after the server answered a subscribe with an error. */
const SUBSCRIBE_RETRY_MS = 3_000;
/** Before reconnecting by hand when the server itself dropped or refused the connection. */
const SERVER_DROP_RETRY_MS = 1_000;
const REFUSED_RETRY_MS = 10_000;
/** Longest wait for a frame before held changes are shown anyway (frames pause in hidden tabs). */
const PUBLISH_FALLBACK_MS = 100;

/**
 * Live stock per SKU and location from the `/live` namespace's `stock` channel.
 *
 * Holds the last snapshot with every delta folded in, keyed by SKU and location. Deltas are
 * coalesced by the server and cover every change after `previousVersion`: one whose version is
 * not above the held one is ignored; one whose `previousVersion` is above the held version
 * reveals a gap and triggers a fresh subscribe, as does a `stock.resync` from the server.
 * Every (re)connect subscribes again.
 *
 * Deltas are folded as they arrive, but the reactive state they feed (rows, version, watermark)
 * is published at most once per frame, so a burst of deltas costs one render.
 */
export class LiveStock {
  /** The version of the shown state; null until the first snapshot. */
  version = $state<number | null>(null);
  /** The latest event time the shown state reflects (ISO-8601). */
  watermark = $state<string | null>(null);
  /** Epoch ms of the last acknowledgement or delta received. */
  lastMessageAt = $state<number | null>(null);
  lastError = $state<string | null>(null);
  /** Whether the socket transport is up (it can be up while the subscribe is still pending). */
  connected = $state(false);

  #status = $state<ConnectionStatus>('connecting');
  // Raw state: rows are replaced, never mutated, so a keyed each block re-renders only changed rows.
  #rows = $state.raw<ReadonlyMap<string, LiveStockRow>>(new Map());
  #order = $state.raw<readonly string[]>([]);
  #browserOnline = $state(typeof navigator === 'undefined' ? true : navigator.onLine);

  /** Rows sorted by SKU then location. */
  readonly rows: LiveStockRow[] = $derived(this.#order.map((key) => this.#rows.get(key)!));
  readonly totals: StockTotals = $derived(computeTotals(this.#rows.values()));
  /** The connection state; a browser without network counts as offline unless data still flows. */
  readonly status: ConnectionStatus = $derived(
    !this.#browserOnline && this.#status !== 'live' && this.#status !== 'unauthorized' ? 'offline' : this.#status,
  );

  // The held truth, folded synchronously as messages arrive; published to the state above.
  #held = new Map<string, LiveStockRow>();
  #heldVersion: number | null = null;
  #heldWatermark: string | null = null;
  #rowsDirty = false;
  #orderDirty = false;
  #publishFrame: number | null = null;
  #publishTimer: ReturnType<typeof setTimeout> | null = null;

  #socket: LiveSocket | null = null;
  #request: SubscribeRequest = { channels: CHANNELS };
  /** Bumped by every subscribe and disconnect, so stale acknowledgements are dropped. */
  #subscribeSeq = 0;
  #pending = false;
  #buffered: StockDelta[] = [];
  #bufferOverflowed = false;
  #wasLive = false;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #detach: () => void = () => {};
  readonly #options: LiveStockOptions;

  constructor(options: LiveStockOptions = {}) {
    this.#options = options;
  }

  /**
   * Opens the socket and subscribes; the returned function closes it. Reads no reactive state,
   * so `$effect(() => stock.connect(token, { location }))` reruns only when its arguments change.
   */
  connect(token: string, filters: StockFilters = {}): () => void {
    untrack(() => this.#open(token, filters));
    return () => this.disconnect();
  }

  /** Closes the socket; the held rows stay on screen. */
  disconnect(): void {
    untrack(() => {
      this.#clearTimers();
      this.#detach();
      this.#detach = () => {};
      this.#publish();
      const socket = this.#socket;
      if (!socket) return;
      this.#socket = null;
      this.#subscribeSeq++;
      this.#pending = false;
      socket.disconnect();
      this.connected = false;
      if (this.#status !== 'unauthorized') this.#status = 'offline';
    });
  }

  /** There is no token to connect with: shows the signed-out state without trying. */
  markUnauthorized(message: string | null = null): void {
    this.disconnect();
    untrack(() => {
      this.#status = 'unauthorized';
      this.lastError = message;
    });
  }

  #open(token: string, filters: StockFilters): void {
    this.disconnect();
    this.#status = 'connecting';
    this.lastError = null;
    this.connected = false;
    this.#wasLive = false;
    this.#buffered = [];
    this.#bufferOverflowed = false;
    this.#request = filters.location
      ? { channels: CHANNELS, filters: { location: filters.location } }
      : { channels: CHANNELS };

    const socket = (this.#options.createSocket ?? createLiveSocket)(token);
    this.#socket = socket;

    socket.on('connect', () => {
      this.connected = true;
      this.lastError = null;
      this.#subscribe();
    });
    socket.on('disconnect', (reason) => this.#onDisconnect(reason));
    socket.on('connect_error', (error) => this.#onConnectError(error));
    socket.on('stock.delta', (delta) => this.#onDelta(delta));
    socket.on('stock.resync', () => this.#subscribe());
    socket.on('error', (error) => this.#onServerError(error));
    // The manager is shared with the socket's own internals: only this handler is removed later.
    const gaveUp = () => {
      if (this.#status !== 'unauthorized') this.#status = 'offline';
    };
    socket.io.on('reconnect_failed', gaveUp);

    const online = () => {
      this.#browserOnline = true;
      // Do not wait out a slow retry when the network is back.
      if (!socket.connected && !socket.active && this.#status !== 'unauthorized') socket.connect();
    };
    const offline = () => (this.#browserOnline = false);
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    this.#detach = () => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      socket.io.off('reconnect_failed', gaveUp);
      socket.removeAllListeners();
    };

    socket.connect();
  }

  #subscribe(): void {
    const socket = this.#socket;
    if (!socket?.connected) return;
    const seq = ++this.#subscribeSeq;
    this.#pending = true;
    this.#buffered = [];
    this.#bufferOverflowed = false;
    requestSubscribe(socket, this.#request).then(
      (ack) => {
        if (seq === this.#subscribeSeq && socket === this.#socket) this.#onAck(ack);
      },
      () => {
        if (seq !== this.#subscribeSeq || socket !== this.#socket || !socket.connected) return;
        this.lastError = 'subscribe timed out';
        this.#subscribe();
      },
    );
  }

  #onAck(ack: SubscribeAck): void {
    this.#pending = false;
    if (!ack.ok) {
      this.lastError = `${ack.error.code}: ${ack.error.message}`;
      if (isUnauthorizedError(ack.error)) return this.#becomeUnauthorized(ack.error.message);
      this.#later(SUBSCRIBE_RETRY_MS, () => this.#subscribe());
      return;
    }

    const now = Date.now();
    const { rows, sameKeys } = fromSnapshot(this.#held, ack.snapshot.stock, now);
    this.#held = rows;
    this.#heldVersion = ack.version;
    this.#heldWatermark = ack.watermark;
    this.#rowsDirty = true;
    if (!sameKeys) this.#orderDirty = true;

    // Deltas that raced the snapshot: the stale ones are ignored, a gap asks again.
    const buffered = this.#buffered;
    const overflowed = this.#bufferOverflowed;
    this.#buffered = [];
    this.#bufferOverflowed = false;
    if (!overflowed) {
      for (const delta of buffered) {
        this.#fold(delta, now);
        if (this.#pending) break;
      }
    }

    // The snapshot is shown at once, together with the status that says it is live.
    this.#publish();
    this.lastMessageAt = now;
    this.lastError = null;
    this.#status = 'live';
    this.#wasLive = true;
    if (overflowed) this.#subscribe();
  }

  #onDelta(delta: StockDelta): void {
    if (!this.#socket) return;
    if (this.#pending) {
      if (this.#buffered.length < MAX_BUFFERED_DELTAS) this.#buffered.push(delta);
      else this.#bufferOverflowed = true;
      return;
    }
    const now = Date.now();
    this.lastMessageAt = now;
    this.#fold(delta, now);
  }

  /** Applies one delta to the held state; true when it was applied. */
  #fold(delta: StockDelta, now: number): boolean {
    const held = this.#heldVersion;
    // Nothing to fold into: the pending retry of the subscribe brings a snapshot.
    if (held === null || delta.version <= held) return false;
    if (delta.previousVersion > held) {
      this.#subscribe();
      return false;
    }
    const { changed, added } = upsertRows(this.#held, delta.rows, now);
    this.#heldVersion = delta.version;
    if (delta.watermark !== null) this.#heldWatermark = delta.watermark;
    if (changed > 0) this.#rowsDirty = true;
    if (added > 0) this.#orderDirty = true;
    this.#schedulePublish();
    return true;
  }

  #schedulePublish(): void {
    if (this.#publishFrame !== null || this.#publishTimer !== null) return;
    const publish = () => this.#publish();
    if (typeof requestAnimationFrame === 'function') this.#publishFrame = requestAnimationFrame(publish);
    this.#publishTimer = setTimeout(publish, PUBLISH_FALLBACK_MS);
  }

  /** Shows the held state: one reactive update for everything folded since the last one. */
  #publish(): void {
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

  #onDisconnect(reason: string): void {
    this.connected = false;
    this.#pending = false;
    this.#subscribeSeq++;
    this.#clearTimers();
    this.#publish();
    if (this.#status === 'unauthorized') return;
    if (reason === 'io client disconnect' || !this.#socket) {
      this.#status = 'offline';
      return;
    }
    this.#status = this.#wasLive ? 'reconnecting' : 'connecting';
    // The server closed the socket on purpose: socket.io will not retry by itself.
    if (reason === 'io server disconnect') this.#later(SERVER_DROP_RETRY_MS, () => this.#reconnectByHand());
  }

  #onConnectError(error: Error): void {
    this.connected = false;
    if (isUnauthorizedError(error)) return this.#becomeUnauthorized(error.message);
    this.lastError = error.message;
    const socket = this.#socket;
    if (!socket) return;
    if (socket.active) {
      // A transport failure: the built-in backoff retries.
      this.#status = this.#wasLive ? 'reconnecting' : 'connecting';
    } else {
      // Refused by a server middleware: an overloaded server names its wait (jittered again here,
      // so a wall of screens does not come back at once); otherwise try again, slowly.
      this.#status = 'offline';
      this.#later(overloadedRetryMs(error) ?? REFUSED_RETRY_MS, () => this.#reconnectByHand());
    }
  }

  #onServerError(error: LiveError): void {
    this.lastError = `${error.code}: ${error.message}`;
    if (isUnauthorizedError(error)) this.#becomeUnauthorized(error.message);
  }

  #becomeUnauthorized(message: string): void {
    this.#status = 'unauthorized';
    this.lastError = message;
    this.connected = false;
    this.#pending = false;
    this.#subscribeSeq++;
    this.#clearTimers();
    this.#socket?.disconnect();
  }

  #reconnectByHand(): void {
    const socket = this.#socket;
    if (!socket || socket.connected || socket.active || this.#status === 'unauthorized') return;
    this.#status = this.#wasLive ? 'reconnecting' : 'connecting';
    socket.connect();
  }

  #later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, ms);
    this.#timers.add(timer);
  }

  #clearTimers(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}

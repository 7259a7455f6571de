import { untrack } from 'svelte';
import type { LiveChannel, LiveError, SubscribeAck, SubscribeFilters, SubscribeRequest } from '@stockwall/contracts';
import { feedReportOf, type FeedReport } from './feed-report';
import {
  createLiveSocket,
  isUnauthorizedError,
  overloadedRetryMs,
  requestSubscribe,
  type LiveSocket,
} from './live-socket';

/**
 * - `connecting`: no snapshot held yet; the first handshake or subscribe is under way (or retrying).
 * - `live`: subscribed; what is held follows the server's deltas.
 * - `reconnecting`: was live, lost the connection; the client retries with backoff and resubscribes.
 * - `offline`: not connected and no automatic retry under way (browser offline, closed, refused).
 * - `unauthorized`: the server rejected the token (or there is none); nothing is retried.
 */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'unauthorized';

export type SubscribedAck = Extract<SubscribeAck, { ok: true }>;

/** What the connection offers the follower of a channel. */
export interface FollowerLink {
  /**
   * Wraps the handler of a state message (a delta): while a subscribe awaits its snapshot the
   * message is held, and handed over after the snapshot in arrival order.
   */
  ordered<T>(handler: (message: T, now: number) => void): (message: T) => void;
  /** Wraps the handler of a message that is not state (an alert): handled at once. */
  immediate<T>(handler: (message: T, now: number) => void): (message: T) => void;
  /** Asks for a fresh snapshot of every channel (a gap, a resync notice). */
  resubscribe(): void;
}

/** One channel's state on the wall: stock rows, KPIs, the alert feed. */
export interface LiveFollower {
  readonly channel: LiveChannel;
  /** Registers the follower's handlers on a newly opened socket; they go with the socket. */
  attach(socket: LiveSocket, link: FollowerLink): void;
  /** A subscribe was answered: start again from its snapshot. */
  acknowledge(ack: SubscribedAck, now: number): void;
  /** Shows at once whatever is held (before the connection's status changes). */
  publish(): void;
}

export interface LiveConnectionOptions {
  /** Replaces the socket factory (tests, other origins). */
  createSocket?: (token: string) => LiveSocket;
}

/** Messages held while a subscribe awaits its snapshot; past this a fresh snapshot is asked for instead. */
const MAX_BUFFERED_MESSAGES = 1_000;
/** Before asking again after the server answered a subscribe with an error. */
const SUBSCRIBE_RETRY_MS = 3_000;
/** Before reconnecting by hand when the server itself dropped or refused the connection. */
const SERVER_DROP_RETRY_MS = 1_000;
const REFUSED_RETRY_MS = 10_000;

function requestOf(channels: LiveChannel[], filters: SubscribeFilters): SubscribeRequest {
  const kept: SubscribeFilters = {};
  if (filters.location) kept.location = filters.location;
  if (filters.window) kept.window = filters.window;
  if (filters.source) kept.source = filters.source;
  return Object.keys(kept).length > 0 ? { channels, filters: kept } : { channels };
}

function sameRequest(a: SubscribeRequest, b: SubscribeRequest): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * One `/live` socket for the whole wall: every channel is asked for in one `subscribe` (a
 * subscribe replaces the socket's previous one), and each channel's follower keeps its own state.
 *
 * Every (re)connect subscribes again, and so does a follower that sees a gap or a resync notice;
 * changing the filters subscribes again on the open socket. Deltas that arrive while a subscribe
 * awaits its acknowledgement are held and folded after its snapshot.
 */
export class LiveConnection {
  /** Epoch ms of the last acknowledgement or message received (heartbeats included). */
  lastMessageAt = $state<number | null>(null);
  /** The change feed's state per the server's last heartbeat; null until one arrives on this socket. */
  feedReport = $state.raw<FeedReport | null>(null);
  lastError = $state<string | null>(null);
  /** Whether the socket transport is up (it can be up while the subscribe is still pending). */
  connected = $state(false);

  #status = $state<ConnectionStatus>('connecting');
  #browserOnline = $state(typeof navigator === 'undefined' ? true : navigator.onLine);

  /** The connection state; a browser without network counts as offline unless data still flows. */
  readonly status: ConnectionStatus = $derived(
    !this.#browserOnline && this.#status !== 'live' && this.#status !== 'unauthorized' ? 'offline' : this.#status,
  );

  readonly #followers: readonly LiveFollower[];
  readonly #channels: LiveChannel[];
  readonly #options: LiveConnectionOptions;
  #socket: LiveSocket | null = null;
  #request: SubscribeRequest;
  /** Bumped by every subscribe and disconnect, so stale acknowledgements are dropped. */
  #subscribeSeq = 0;
  #pending = false;
  #buffered: ((now: number) => void)[] = [];
  #bufferOverflowed = false;
  #wasLive = false;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #detach: () => void = () => {};

  constructor(followers: readonly LiveFollower[], options: LiveConnectionOptions = {}) {
    this.#followers = followers;
    this.#channels = followers.map((follower) => follower.channel);
    this.#options = options;
    this.#request = requestOf(this.#channels, {});
  }

  /**
   * Sets what the channels are narrowed to. On an open socket a changed request subscribes again
   * (fresh snapshots, no reconnect); otherwise the next connect uses it.
   */
  setFilters(filters: SubscribeFilters): void {
    untrack(() => {
      const next = requestOf(this.#channels, filters);
      if (sameRequest(next, this.#request)) return;
      this.#request = next;
      this.#subscribe();
    });
  }

  /**
   * Opens the socket and subscribes; the returned function closes it. Reads no reactive state,
   * so `$effect(() => connection.connect(token))` reruns only when the token changes.
   */
  connect(token: string): () => void {
    untrack(() => this.#open(token));
    return () => this.disconnect();
  }

  /** Closes the socket; what the followers hold stays on screen. */
  disconnect(): void {
    untrack(() => {
      this.#clearTimers();
      this.#detach();
      this.#detach = () => {};
      this.#publishAll();
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

  #open(token: string): void {
    this.disconnect();
    this.#status = 'connecting';
    this.lastError = null;
    this.connected = false;
    this.#wasLive = false;
    this.#buffered = [];
    this.#bufferOverflowed = false;
    this.feedReport = null;

    const socket = (this.#options.createSocket ?? createLiveSocket)(token);
    this.#socket = socket;

    socket.on('connect', () => {
      this.connected = true;
      this.lastError = null;
      this.#subscribe();
    });
    socket.on('disconnect', (reason) => this.#onDisconnect(reason));
    socket.on('connect_error', (error) => this.#onConnectError(error));
    socket.on('error', (error) => this.#onServerError(error));
    // Sent when nothing else was for a few seconds: the connection is alive; says how the feed is.
    socket.on('live.heartbeat', (heartbeat) => {
      if (socket !== this.#socket) return;
      const now = Date.now();
      this.lastMessageAt = now;
      this.feedReport = feedReportOf(heartbeat, now);
    });
    const link = this.#linkFor(socket);
    for (const follower of this.#followers) follower.attach(socket, link);
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

  #linkFor(socket: LiveSocket): FollowerLink {
    return {
      ordered: (handler) => (message) => {
        if (socket !== this.#socket) return;
        if (this.#pending) {
          if (this.#buffered.length < MAX_BUFFERED_MESSAGES) this.#buffered.push((now) => handler(message, now));
          else this.#bufferOverflowed = true;
          return;
        }
        const now = Date.now();
        this.lastMessageAt = now;
        handler(message, now);
      },
      immediate: (handler) => (message) => {
        if (socket !== this.#socket) return;
        const now = Date.now();
        this.lastMessageAt = now;
        handler(message, now);
      },
      resubscribe: () => {
        if (socket === this.#socket) this.#subscribe();
      },
    };
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
      // Over the server's subscribe limit it says when to come back: sooner would only be refused again.
      this.#later(Math.max(SUBSCRIBE_RETRY_MS, ack.error.retryAfterMs ?? 0), () => this.#subscribe());
      return;
    }

    const now = Date.now();
    for (const follower of this.#followers) follower.acknowledge(ack, now);

    // Messages that raced the snapshot: followers ignore the stale ones; a gap asks again.
    const buffered = this.#buffered;
    const overflowed = this.#bufferOverflowed;
    this.#buffered = [];
    this.#bufferOverflowed = false;
    if (!overflowed) {
      for (const deliver of buffered) {
        deliver(now);
        if (this.#pending) break;
      }
    }

    // The snapshot is shown at once, together with the status that says it is live.
    this.#publishAll();
    this.lastMessageAt = now;
    this.lastError = null;
    this.#status = 'live';
    this.#wasLive = true;
    if (overflowed) this.#subscribe();
  }

  #publishAll(): void {
    for (const follower of this.#followers) follower.publish();
  }

  #onDisconnect(reason: string): void {
    this.connected = false;
    this.#pending = false;
    this.#subscribeSeq++;
    this.#clearTimers();
    this.#publishAll();
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

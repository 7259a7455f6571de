import { io, type Socket } from 'socket.io-client';
import type {
  LIVE_NAMESPACE,
  LiveClientToServerEvents,
  LiveConnectErrorData,
  LiveServerToClientEvents,
  SubscribeAck,
  SubscribeRequest,
} from '@stockwall/contracts';

/** The `/live` namespace, typed with the shared protocol. */
export type LiveSocket = Socket<LiveServerToClientEvents, LiveClientToServerEvents>;

/** Checked against the contract at compile time; only types cross into the bundle. */
const NAMESPACE: typeof LIVE_NAMESPACE = '/live';

export const RECONNECT_OPTIONS = {
  reconnection: true,
  reconnectionDelay: 500,
  reconnectionDelayMax: 10_000,
  randomizationFactor: 0.5,
} as const;

/** How long a subscribe may wait for its acknowledgement before it is tried again. */
export const SUBSCRIBE_TIMEOUT_MS = 10_000;

/**
 * Opens the `/live` namespace on the page's own origin (default path `/socket.io`), WebSocket only.
 * The token travels in the handshake's `auth` payload, never in the URL.
 */
export function createLiveSocket(token: string): LiveSocket {
  return io(NAMESPACE, {
    auth: { token },
    transports: ['websocket'],
    autoConnect: false,
    ...RECONNECT_OPTIONS,
  });
}

/** Sends `subscribe` and resolves with the server's acknowledgement; rejects when none comes in time. */
export function requestSubscribe(
  socket: LiveSocket,
  request: SubscribeRequest,
  timeoutMs = SUBSCRIBE_TIMEOUT_MS,
): Promise<SubscribeAck> {
  return socket.timeout(timeoutMs).emitWithAck('subscribe', request);
}

/** The wait an overloaded server asked for, jittered by up to half again; null for other errors. */
export function overloadedRetryMs(
  error: Error & { data?: unknown },
  random: () => number = Math.random,
): number | null {
  const data = error.data as LiveConnectErrorData | undefined;
  if (error.message !== 'overloaded' || typeof data?.retryAfterMs !== 'number') return null;
  return Math.round(data.retryAfterMs * (1 + random() / 2));
}

/** The server refuses the handshake with `next(new Error('unauthorized'))` for a missing or bad token. */
export function isUnauthorizedError(error: { message?: string; code?: string } | null | undefined): boolean {
  if (!error) return false;
  const text = `${error.code ?? ''} ${error.message ?? ''}`.toLowerCase();
  return /\b(unauthori[sz]ed|forbidden)\b/.test(text);
}

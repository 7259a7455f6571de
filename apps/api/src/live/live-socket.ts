import type { Namespace, Socket } from 'socket.io';
import type { LiveClientToServerEvents, LiveServerToClientEvents } from '@stockwall/contracts';
import type { VerifiedToken } from '../auth/token-policy';
import { KPI_ROOM_PREFIX } from './kpi-rooms';

/** What the `/live` handshake and subscribes keep on a socket. */
export interface LiveSocketData {
  user?: VerifiedToken;
  /** The stock room the socket follows (kept while paused, so it can be told to resync). */
  stockRoom?: string;
  /** The kpis room (window and source) the socket follows, kept while paused like the stock room. */
  kpisRoom?: string;
  paused?: boolean;
  /** Epoch ms of the socket's last subscribe ack or heartbeat; unset until it subscribed. */
  heartbeatAt?: number;
  /** A subscribe of this socket is being answered: one snapshot at a time per socket. */
  subscribing?: boolean;
  /** Subscribes refused in a row (busy or over the rate): past a limit the socket is closed. */
  refusedSubscribes?: number;
}

export type LiveNamespace = Namespace<
  LiveClientToServerEvents,
  LiveServerToClientEvents,
  Record<string, never>,
  LiveSocketData
>;
export type LiveSocket = Socket<
  LiveClientToServerEvents,
  LiveServerToClientEvents,
  Record<string, never>,
  LiveSocketData
>;

/** The room of every stock row, and the prefix of the rooms of one location. */
export const ALL_STOCK_ROOM = 'stock';
export const LOCATION_ROOM_PREFIX = 'stock@';
export const ALERTS_ROOM = 'alerts';

/** The rooms a subscribe joins (the others are the sockets' own, named by their ids). */
export function isFollowedRoom(room: string): boolean {
  return room.startsWith(ALL_STOCK_ROOM) || room === ALERTS_ROOM || room.startsWith(KPI_ROOM_PREFIX);
}

/** The key a token's allowances are counted under: its revocation id, else its subject. */
export function subscriberKey(user: VerifiedToken): string {
  return user.revocationId ?? `sub:${user.sub}`;
}

import type { StockAlert } from '../kpis/kpi-types';

/**
 * The `/live` Socket.IO protocol, shared by the gateway and the dashboard client.
 * Every server message carries a version; a client that sees `previousVersion` differ from the
 * version it holds has missed something and subscribes again for a fresh snapshot.
 */
export const LIVE_NAMESPACE = '/live';
export const LIVE_CHANNELS = ['stock', 'alerts'] as const;
export type LiveChannel = (typeof LIVE_CHANNELS)[number];

export interface StockRow {
  sku: string;
  location: string;
  name: string | null;
  onHand: number;
  committed: number;
  available: number;
  /** Moving-average unit cost as a decimal string, or null when no cost is known. */
  unitCost: string | null;
  stockValue: string | null;
  reorderPoint: number | null;
  belowReorderPoint: boolean;
  active: boolean;
  lastEventAt: string | null;
}

export interface SubscribeRequest {
  channels: LiveChannel[];
  filters?: { location?: string };
}

export interface LiveError {
  code: string;
  message: string;
}

export type SubscribeAck =
  | { ok: true; version: number; watermark: string | null; serverTime: string; snapshot: { stock: StockRow[] } }
  | { ok: false; error: LiveError };

/**
 * Deltas are coalesced on the server (at most `LIVE_MAX_DELTAS_PER_SECOND` per channel per client):
 * `rows` holds the latest state of every row changed after `previousVersion` up to `version`.
 * A client holding version `held` applies it when `previousVersion <= held < version`, ignores it
 * when `version <= held`, and resubscribes when `previousVersion > held` (a gap).
 */
export interface StockDelta {
  version: number;
  previousVersion: number;
  /** The latest event time the change reflects (ISO-8601). */
  watermark: string | null;
  /** When the server sent it (ISO-8601), so a client can tell delivery lag from event lag. */
  serverTime?: string;
  rows: StockRow[];
}

export const LIVE_MAX_DELTAS_PER_SECOND = 4;

/** The server can no longer continue the client's delta sequence: subscribe again for a fresh snapshot. */
export interface ResyncNotice {
  reason: 'slow_consumer' | 'feed_gap';
  version: number;
}

/** `connect_error` data when the server refuses a connection; `overloaded` means try again after `retryAfterMs`. */
export const LIVE_OVERLOADED = 'overloaded';
export interface LiveConnectErrorData {
  code: typeof LIVE_OVERLOADED | 'unauthorized';
  retryAfterMs?: number;
}

/** One stock alert (low stock, out of stock, back in stock), pushed to the `alerts` channel as it is raised. */
export interface AlertMessage {
  version: number;
  alert: StockAlert;
}

export interface LiveServerToClientEvents {
  'stock.delta': (delta: StockDelta) => void;
  'stock.resync': (notice: ResyncNotice) => void;
  alert: (message: AlertMessage) => void;
  error: (error: LiveError) => void;
}

export interface LiveClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (result: SubscribeAck) => void) => void;
}

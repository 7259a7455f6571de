import type { WriteApplied, WriteRejected } from './write-outcomes';
import type { KpiWindow, LiveKpis, StockAlert } from '../kpis/kpi-types';

/**
 * The `/live` Socket.IO protocol, shared by the gateway and the dashboard client.
 * Every server message carries a version; a client that sees `previousVersion` differ from the
 * version it holds has missed something and subscribes again for a fresh snapshot.
 */
export const LIVE_NAMESPACE = '/live';
export const LIVE_CHANNELS = ['kpis', 'stock', 'alerts'] as const;
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
  /**
   * The reorder point in force, the one low-stock alerts and the below-reorder-point total use:
   * the explicit one if set, else the one computed from demand and lead time; null when neither.
   */
  reorderPoint: number | null;
  reorderPointSource: ReorderPointSource | null;
  /** Active and `available` at or below `reorderPoint`. */
  belowReorderPoint: boolean;
  active: boolean;
  lastEventAt: string | null;
}

/** Where a reorder point comes from: set on the product, or computed from demand and lead time. */
export type ReorderPointSource = 'explicit' | 'computed';

/** Each filter narrows the channel it belongs to and is ignored by the others. */
export interface SubscribeFilters {
  /** `stock`: rows of one location only (default: every location). */
  location?: string;
  /** `kpis`: the rolling window (default `15m`, as `GET /api/v1/kpis/live`). */
  window?: KpiWindow;
  /** `kpis`: sales of one source only (default: all sources). */
  source?: string;
}

export interface SubscribeRequest {
  channels: LiveChannel[];
  filters?: SubscribeFilters;
}

export interface LiveError {
  /** `bad_request`, `rate_limited` (too many subscribes on one socket), `busy` (one subscribe at a time), … */
  code: string;
  message: string;
  /** With `rate_limited` and `busy`: when to try again. */
  retryAfterMs?: number;
}

/** The KPIs of one window and source (what `GET /api/v1/kpis/live` returns) and the version they were read at. */
export interface KpisSnapshot {
  version: number;
  /** The latest event time the figures reflect (ISO-8601): every window ends here. */
  watermark: string | null;
  kpis: LiveKpis;
}

/** How many of the latest alerts the snapshot of the `alerts` channel carries. */
export const LIVE_ALERT_SNAPSHOT_LIMIT = 50;

export interface SubscribeSnapshot {
  stock: StockRow[];
  kpis?: KpisSnapshot;
  /**
   * There when `alerts` is subscribed: the latest alerts raised (at most `LIVE_ALERT_SNAPSHOT_LIMIT`,
   * newest first, every location), so a client that was away gets what it missed. An alert raised
   * while the subscribe is answered may come both here and as an `alert` message: ids are unique.
   */
  alerts?: StockAlert[];
}

/**
 * `snapshot.kpis` is there when `kpis` is subscribed, `snapshot.alerts` when `alerts` is. A
 * subscription of `kpis` alone reads no stock: `snapshot.stock` is empty and `version` /
 * `watermark` are those of `snapshot.kpis`.
 */
export type SubscribeAck =
  | {
      ok: true;
      version: number;
      watermark: string | null;
      serverTime: string;
      snapshot: SubscribeSnapshot;
    }
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

/**
 * The whole KPI object of the client's window and source, pushed when it changes (at most
 * `LIVE_MAX_DELTAS_PER_SECOND`; intermediate states are merged). `previousVersion` is the version
 * of the room's previous `kpis.delta`, so deltas chain like `stock.delta`; since each one is whole,
 * a client replaces what it holds with any delta whose version is not below the held one.
 */
export interface KpisDelta {
  version: number;
  previousVersion: number;
  /** The latest event time the figures reflect (ISO-8601). */
  watermark: string | null;
  /** When the server sent it (ISO-8601). */
  serverTime: string;
  kpis: LiveKpis;
}

/** The server can no longer continue the client's delta sequence: subscribe again for a fresh snapshot. */
export interface ResyncNotice {
  reason: 'slow_consumer' | 'feed_gap';
  version: number;
}

/** `connect_error` data when the server refuses a connection; `overloaded` means try again after `retryAfterMs`. */
export const LIVE_OVERLOADED = 'overloaded';
export interface LiveConnectErrorData {
  /** `rate_limited`: this token connected too often; try again after `retryAfterMs`. */
  code: typeof LIVE_OVERLOADED | 'unauthorized' | 'rate_limited';
  retryAfterMs?: number;
}

/** One stock alert (low stock, out of stock, back in stock), pushed to the `alerts` channel as it is raised. */
export interface AlertMessage {
  version: number;
  alert: StockAlert;
}

/**
 * A subscribed socket that was sent nothing (ack, delta, alert or heartbeat) for this long gets a
 * `live.heartbeat`. The server looks every second, so a subscribed client hears something at
 * least every ~4 s.
 */
export const LIVE_HEARTBEAT_MS = 3_000;

/**
 * Sent to a subscribed client that has been sent nothing for `LIVE_HEARTBEAT_MS`: the connection
 * is alive, and `feedReadAt` says whether the pipeline behind it is. Not state: it never changes
 * what a client holds.
 */
export interface LiveHeartbeat {
  /** The latest live-state version this API process has seen on the change feed (0 before the first). */
  version: number;
  /** When the server sent it (ISO-8601). */
  serverTime: string;
  /**
   * When this API process last read the change stream successfully (ISO-8601; null before its
   * first read). A healthy feed reads at least every second, with or without changes, so
   * `serverTime − feedReadAt` growing means the feed is stalled (Redis unreachable), whatever
   * the connection does.
   */
  feedReadAt: string | null;
}

export interface LiveServerToClientEvents {
  'stock.delta': (delta: StockDelta) => void;
  'stock.resync': (notice: ResyncNotice) => void;
  'kpis.delta': (delta: KpisDelta) => void;
  'kpis.resync': (notice: ResyncNotice) => void;
  alert: (message: AlertMessage) => void;
  'live.heartbeat': (heartbeat: LiveHeartbeat) => void;
  error: (error: LiveError) => void;
  /** To sockets that sent `writes.subscribe`: an API write was applied, or rejected. */
  'write.applied': (write: WriteApplied) => void;
  'write.rejected': (write: WriteRejected) => void;
}

export interface LiveClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (result: SubscribeAck) => void) => void;
  /** Follow the outcomes of API writes (`write.applied`, `write.rejected`); the ack, when asked for, is `{ ok: true }`. */
  'writes.subscribe': (ack?: (result: { ok: true }) => void) => void;
}

/** Limits that keep one slow or surplus client from costing the server memory. */
export interface LiveFlowLimits {
  /** Packets queued for one socket above which it stops receiving deltas. */
  maxQueuedPackets: number;
  /** Bytes queued in the socket's transport above which it stops receiving deltas. */
  maxQueuedBytes: number;
  maxConnections: number;
  /** Base wait suggested to a refused client; each gets a jittered multiple so retries spread out. */
  retryAfterMs: number;
}

export type BackpressureAction = 'pause' | 'resume' | 'none';

/**
 * Hysteresis on a socket's send queue: pause above the limits, resume (with a resync) only once
 * the queue has drained to a quarter of them, so a client on the edge does not flap.
 */
export function backpressureAction(
  limits: LiveFlowLimits,
  paused: boolean,
  queuedPackets: number,
  queuedBytes: number,
): BackpressureAction {
  if (!paused) {
    return queuedPackets > limits.maxQueuedPackets || queuedBytes > limits.maxQueuedBytes ? 'pause' : 'none';
  }
  const drained = queuedPackets <= limits.maxQueuedPackets / 4 && queuedBytes <= limits.maxQueuedBytes / 4;
  return drained ? 'resume' : 'none';
}

export type Admission = { admitted: true } | { admitted: false; retryAfterMs: number };

/** Refuses connections over the limit with a jittered retry delay (between 1x and 2x the base). */
export function admitConnection(
  limits: LiveFlowLimits,
  connected: number,
  random: () => number = Math.random,
): Admission {
  if (connected < limits.maxConnections) return { admitted: true };
  return { admitted: false, retryAfterMs: Math.round(limits.retryAfterMs * (1 + random())) };
}

/**
 * Open transports (engine.io connections, authenticated or not yet) past MAX_CONNECTIONS still
 * get this many more, so that a client over the limit can open one and read `overloaded` with its
 * wait. Past that, a flood, new transports are refused before any Socket.IO state exists.
 */
export function transportHeadroom(limits: LiveFlowLimits): number {
  return Math.max(100, Math.ceil(limits.maxConnections / 10));
}

/** Whether a new transport may open while `openTransports` are open on this process. */
export function admitTransport(limits: LiveFlowLimits, openTransports: number): boolean {
  return openTransports < limits.maxConnections + transportHeadroom(limits);
}

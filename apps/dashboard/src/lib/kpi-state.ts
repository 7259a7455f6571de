import type { KpisDelta, LiveKpis, SubscribeAck } from '@stockwall/contracts';

/** The KPIs a wall shows, with the live-state version they were read at. */
export interface HeldKpis {
  version: number;
  /** The latest event time the figures reflect (ISO-8601); every window ends here. */
  watermark: string | null;
  kpis: LiveKpis;
  /** Epoch ms when this reading arrived. */
  receivedAt: number;
}

/** The snapshot of a subscribe's acknowledgement; null when `kpis` was not subscribed. */
export function kpisFromAck(ack: Extract<SubscribeAck, { ok: true }>, now: number): HeldKpis | null {
  const snapshot = ack.snapshot.kpis;
  if (!snapshot) return null;
  return { version: snapshot.version, watermark: snapshot.watermark, kpis: snapshot.kpis, receivedAt: now };
}

/**
 * Folds one `kpis.delta` into what is held. Each delta is the whole KPI object, so it simply
 * replaces the held one when its version is not below it; an older one (read before the
 * snapshot, delivered after it) is ignored, and so is one of another window or source (sent to
 * the previous room just before a subscribe with new filters was answered). Returns `held`
 * itself when nothing changes.
 */
export function acceptKpisDelta(held: HeldKpis | null, delta: KpisDelta, now: number): HeldKpis | null {
  if (held === null) return held;
  if (delta.version < held.version) return held;
  if (delta.kpis.window !== held.kpis.window || delta.kpis.source !== held.kpis.source) return held;
  return { version: delta.version, watermark: delta.watermark, kpis: delta.kpis, receivedAt: now };
}

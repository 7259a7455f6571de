import { z } from 'zod';
import type { LiveSnapshot, VersionedKpis } from '@stockwall/aggregation';
import { LIVE_CHANNELS, StockAlert, SubscribeAck, SubscribeSnapshot } from '@stockwall/contracts';
import { liveKpisQuerySchema } from '../kpis/kpis.dto';
import { locationCodeSchema } from '../common/wire-identifier.schema';

export const subscribeSchema = z
  .object({
    channels: z.array(z.enum(LIVE_CHANNELS)).min(1).max(LIVE_CHANNELS.length),
    filters: z
      .object({
        // The same rule as the REST location filter: no control characters, no room-name tricks.
        location: locationCodeSchema.optional(),
        // The same rules and default as GET /api/v1/kpis/live.
        window: liveKpisQuerySchema.shape.window,
        source: liveKpisQuerySchema.shape.source,
      })
      .strict()
      .default({}),
  })
  .strict();

/** A subscription of `kpis` alone reads no stock: the ack's version and watermark are then the KPIs'. */
export function subscribedAck(
  stock: LiveSnapshot | null,
  kpis: VersionedKpis | null,
  alerts: StockAlert[] | null,
): SubscribeAck {
  const snapshot: SubscribeSnapshot = { stock: stock?.rows ?? [] };
  if (kpis) snapshot.kpis = { version: kpis.version, watermark: kpis.kpis.watermark, kpis: kpis.kpis };
  if (alerts) snapshot.alerts = alerts;
  let watermark = kpis?.kpis.watermark ?? null;
  if (stock) watermark = stock.watermark === null ? null : new Date(stock.watermark).toISOString();
  return {
    ok: true,
    version: stock?.version ?? kpis?.version ?? 0,
    watermark,
    serverTime: new Date().toISOString(),
    snapshot,
  };
}

export function refused(code: 'busy' | 'rate_limited', message: string, retryAfterMs: number): SubscribeAck {
  return { ok: false, error: { code, message, retryAfterMs } };
}

export function badRequest(error: z.ZodError): SubscribeAck {
  return {
    ok: false,
    error: {
      code: 'bad_request',
      message: error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    },
  };
}

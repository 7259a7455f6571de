import type { StockAlert } from '@stockwall/contracts';

/** The alert as the Lua apply encodes it (outbox entry and change notice): its event time in epoch ms. */
type EncodedAlert = Omit<StockAlert, 'occurredAt'> & { at: number };

export function parseEncodedAlert(json: string): StockAlert {
  const alert = JSON.parse(json) as EncodedAlert;
  return fromEncoded(alert);
}

export function parseEncodedAlerts(json: string | undefined): StockAlert[] {
  if (!json) return [];
  return (JSON.parse(json) as EncodedAlert[]).map(fromEncoded);
}

function fromEncoded(alert: EncodedAlert): StockAlert {
  return {
    id: alert.id,
    kind: alert.kind,
    sku: alert.sku,
    location: alert.location,
    available: alert.available,
    reorderPoint: alert.reorderPoint ?? null,
    occurredAt: new Date(alert.at).toISOString(),
    stockoutMs: alert.stockoutMs ?? null,
  };
}

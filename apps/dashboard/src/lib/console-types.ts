import type { StockForecast } from '@stockwall/contracts';

export type { AlertView, UserAccount as UserView } from '@stockwall/contracts';

/** `GET /api/v1/products/:sku`. */
export interface ProductView {
  sku: string;
  name: string;
  category: string | null;
  description: string | null;
  unitPrice: string | null;
  unitCost: string | null;
  updatedAt: string | null;
}

/** One line of `GET /api/v1/movements`. */
export interface MovementView {
  eventId: string;
  eventType: string;
  sku: string;
  location: string;
  quantityDelta: number;
  onHandAfter?: number | null;
  actor: string | null;
  reason: string | null;
  occurredAt: string;
}

/** `GET /api/v1/stock/:sku/forecast`. */
export interface SkuForecast {
  sku: string;
  asOf: string | null;
  locations: StockForecast[];
}

/** What every write answers with 202. */
export interface AcceptedWrite {
  eventId: string;
}

export interface DisplayTokenView {
  id: string;
  name: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

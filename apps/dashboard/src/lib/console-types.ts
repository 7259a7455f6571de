import type { Role, StockForecast } from '@stockwall/contracts';

/** A stored alert as `GET /api/v1/alerts` lists it. */
export interface AlertView {
  id: string;
  alertId: string;
  kind: string;
  sku: string;
  location: string;
  available: number;
  reorderPoint: number | null;
  occurredAt: string;
  stockoutMs: number | null;
  status: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

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

export interface UserView {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface DisplayTokenView {
  id: string;
  name: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

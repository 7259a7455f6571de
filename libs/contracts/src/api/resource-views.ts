import type { Role } from '../auth/roles';
import type { StockAlert } from '../kpis/kpi-types';

/** A stored alert as `GET /api/v1/alerts` lists it (the console reads the same shape). */
export interface AlertView extends Pick<
  StockAlert,
  'sku' | 'location' | 'available' | 'reorderPoint' | 'occurredAt' | 'stockoutMs'
> {
  /** The row id. */
  id: string;
  /** The alert id the live `alert` event carries. */
  alertId: string;
  kind: string;
  status: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

/** A console account as `GET /api/v1/users` lists it; never its password hash. */
export interface UserAccount {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

/** A sales figure of one interval, as `GET /api/v1/kpis/history` and the reports send it. */
export interface SalesFigures {
  orders: number;
  units: number;
  revenue: string;
  averageOrderValue: string | null;
  cogs: string;
  grossMargin: string;
  grossMarginRate: number | null;
}

export interface KpiHistoryPoint extends SalesFigures {
  from: string;
  to: string;
}

/** One bucket of the history: sales, COGS ratios, stock over time and customers. */
export interface KpiHistoryBucket extends KpiHistoryPoint {
  /** COGS / revenue (null without revenue). */
  cogsToRevenue: number | null;
  /** Time-weighted average stock value over the bucket (on hand × unit cost). */
  averageInventoryValue: string | null;
  /** COGS / average inventory value over the bucket. */
  inventoryTurnover: number | null;
  /** Time-weighted share of active SKUs with nothing available (SKU-time out of stock / SKU-time active). */
  stockoutRate: number | null;
  /** Customers whose first order (in the scope) falls in the bucket. */
  newCustomers: number;
  /** Customers ordering in the bucket whose first order was earlier. */
  returningCustomers: number;
}

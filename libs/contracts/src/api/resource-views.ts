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

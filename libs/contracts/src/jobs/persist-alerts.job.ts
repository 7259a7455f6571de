import type { QueueName } from './job-map';
import type { StockAlert } from '../kpis/kpi-types';

/** Alerts raised by the atomic apply are relayed from their Redis outbox to this queue, one job per alert. */
export const ALERTS_QUEUE = 'alerts' satisfies QueueName;
export const PERSIST_ALERT_JOB = 'persist-alert';

export type PersistAlertJob = StockAlert;

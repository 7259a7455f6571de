import type { DataSource } from 'typeorm';
import type { StockAlert } from '@stockwall/contracts';

/** Stores alerts idempotently: a relayed-again alert (same deterministic id) is ignored. */
export class AlertWriter {
  constructor(private readonly dataSource: DataSource) {}

  async write(alerts: readonly StockAlert[]): Promise<void> {
    if (alerts.length === 0) return;
    await this.dataSource.query(
      `INSERT IGNORE INTO alerts (alert_id, kind, sku, location, available, reorder_point, occurred_at, stockout_ms)
       VALUES ?`,
      [
        alerts.map((alert) => [
          alert.id,
          alert.kind,
          alert.sku,
          alert.location,
          alert.available,
          alert.reorderPoint,
          new Date(alert.occurredAt),
          alert.stockoutMs,
        ]),
      ],
    );
  }
}

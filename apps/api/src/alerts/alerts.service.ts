import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { AlertRow, HistoryRepository } from '@stockwall/persistence';
import { HISTORY_REPOSITORY } from '../history/history.service';
import type { AlertListQueryDto, AlertView } from './alerts.dto';

@Injectable()
export class AlertsService {
  constructor(@Inject(HISTORY_REPOSITORY) private readonly history: HistoryRepository) {}

  async list(query: AlertListQueryDto): Promise<{ items: AlertView[]; nextCursor: string | null }> {
    const rows = await this.history.alerts({
      status: query.status,
      range: { from: query.from, to: query.to },
      beforeId: query.cursor,
      limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit).map(toView);
    return { items, nextCursor: rows.length > query.limit ? items[items.length - 1].id : null };
  }

  async acknowledge(id: string, by: string): Promise<AlertView> {
    const row = await this.history.acknowledgeAlert(id, by, new Date());
    if (!row) throw new NotFoundException(`No alert ${id}`);
    return toView(row);
  }
}

function toView(row: AlertRow): AlertView {
  return {
    id: String(row.id),
    alertId: row.alert_id,
    kind: row.kind,
    sku: row.sku,
    location: row.location,
    available: Number(row.available),
    reorderPoint: row.reorder_point === null ? null : Number(row.reorder_point),
    occurredAt: new Date(row.occurred_at).toISOString(),
    stockoutMs: row.stockout_ms === null ? null : Number(row.stockout_ms),
    status: row.status,
    acknowledgedAt: row.acknowledged_at ? new Date(row.acknowledged_at).toISOString() : null,
    acknowledgedBy: row.acknowledged_by,
  };
}

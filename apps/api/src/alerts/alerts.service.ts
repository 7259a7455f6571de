import { Inject, Injectable } from '@nestjs/common';
import type { AlertRow, HistoryRepository } from '@stockwall/persistence';
import { HISTORY_REPOSITORY } from '../history/history.service';
import type { AcceptedWrite } from '../writes/writes.dto';
import { WritesService } from '../writes/writes.service';
import type { AlertListQueryDto, AlertView } from './alerts.dto';
import { NotFoundError } from '../common/domain-errors';

@Injectable()
export class AlertsService {
  constructor(
    @Inject(HISTORY_REPOSITORY) private readonly history: HistoryRepository,
    private readonly writes: WritesService,
  ) {}

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

  /**
   * An open alert: its acknowledgement goes on the stream (`accepted`, with the event id); the
   * persist job records it. An alert already acknowledged is returned as it is (`unchanged`):
   * the first acknowledgement is kept.
   */
  async acknowledge(
    id: string,
    by: string,
    reason?: string,
  ): Promise<{ accepted: AcceptedWrite & { alertId: string } } | { unchanged: AlertView }> {
    const row = await this.history.findAlert(id);
    if (!row) throw new NotFoundError(`No alert ${id}`);
    if (row.status !== 'open') return { unchanged: toView(row) };
    const write = await this.writes.acknowledgeAlert(
      { alertId: row.alert_id, sku: row.sku, location: row.location, reason },
      by,
    );
    return { accepted: { ...write, alertId: row.alert_id } };
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

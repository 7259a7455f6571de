import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { API_WRITE_ID_PREFIX, WireEvent, wireEventSchemas } from '@stockwall/contracts';
import { EventPublisher } from '@stockwall/ingest';
import { escapeForLog } from '@stockwall/platform';
import type {
  AcceptedWrite,
  AdjustmentDto,
  CreateProductDto,
  LocationQueryDto,
  ReorderPointDto,
  UpdateProductDto,
} from './writes.dto';
import { ValidationError } from '../common/domain-errors';

export const WRITES_PUBLISHER = Symbol('WRITES_PUBLISHER');

/** API writes are events on the stream like any producer's, so they take the one exactly-once path. */
@Injectable()
export class WritesService {
  private readonly logger = new Logger(WritesService.name);

  constructor(@Inject(WRITES_PUBLISHER) private readonly publisher: EventPublisher) {}

  adjust(request: AdjustmentDto, actor: string): Promise<AcceptedWrite> {
    const common = this.common(request.location);
    if (request.countedQuantity !== undefined) {
      return this.put(
        {
          ...common,
          event_type: 'stock_adjusted',
          sku: request.sku,
          quantity: request.countedQuantity,
          reason: request.reason,
        },
        actor,
      );
    }
    return this.put(
      {
        ...common,
        event_type: 'quantity_changed',
        product: { product_id: request.sku, quantity_delta: request.delta!, timestamp: common.occurred_at },
        reason: request.reason,
      },
      actor,
    );
  }

  createProduct(request: CreateProductDto, actor: string): Promise<AcceptedWrite> {
    const common = this.common(request.location);
    return this.put(
      {
        ...common,
        event_type: 'product_added',
        product: {
          product_id: request.sku,
          product_name: request.name,
          quantity: request.quantity,
          timestamp: common.occurred_at,
          unit_price: request.unitPrice,
          unit_cost: request.unitCost,
          reorder_point: request.reorderPoint,
        },
        reason: request.reason,
      },
      actor,
    );
  }

  removeProduct(sku: string, query: LocationQueryDto, actor: string): Promise<AcceptedWrite> {
    const common = this.common(query.location);
    return this.put(
      {
        ...common,
        event_type: 'product_removed',
        product: { product_id: sku, timestamp: common.occurred_at },
        reason: query.reason,
      },
      actor,
    );
  }

  setReorderPoint(sku: string, request: ReorderPointDto, actor: string): Promise<AcceptedWrite> {
    // Only the reorder point changes: stock that moves meanwhile is never overwritten.
    return this.put(
      {
        ...this.common(request.location),
        event_type: 'reorder_point_set',
        sku,
        reorder_point: request.reorderPoint,
        reason: request.reason,
      },
      actor,
    );
  }

  /**
   * Puts product_updated events: one per location the SKU has live stock at (each live row keeps its
   * own name, price and cost), `main` when it has none yet. All go to the SKU's shard, in order: the
   * last one's id is the one to wait for.
   */
  async updateProduct(
    sku: string,
    request: UpdateProductDto,
    locations: string[],
    actor: string,
  ): Promise<AcceptedWrite & { eventIds: string[] }> {
    const accepted: AcceptedWrite[] = [];
    for (const location of locations.length > 0 ? locations : [undefined]) {
      accepted.push(
        await this.put(
          {
            ...this.common(location),
            event_type: 'product_updated',
            sku,
            name: request.name,
            unit_price: request.unitPrice,
            unit_cost: request.unitCost,
            category: request.category,
            description: request.description,
            reason: request.reason,
          },
          actor,
        ),
      );
    }
    return { ...accepted[accepted.length - 1], eventIds: accepted.map((write) => write.eventId) };
  }

  /** Puts an alert's acknowledgement on the stream (partitioned by its SKU, like its other events). */
  acknowledgeAlert(
    alert: { alertId: string; sku: string; location: string; reason?: string },
    actor: string,
  ): Promise<AcceptedWrite> {
    return this.put(
      {
        ...this.common(alert.location),
        event_type: 'alert_acknowledged',
        sku: alert.sku,
        alert_id: alert.alertId,
        acknowledged_by: actor,
        reason: alert.reason,
      },
      actor,
    );
  }

  private common(location: string | undefined) {
    return {
      event_id: `${API_WRITE_ID_PREFIX}${randomUUID()}`,
      occurred_at: new Date().toISOString(),
      location,
      source: 'api',
    };
  }

  private async put(write: WireEvent, actor: string): Promise<AcceptedWrite> {
    // Who made it travels with the event and is stored with it (the audit trail, GET /movements).
    const event: WireEvent = { ...write, actor };
    // The same schema the workers decode with: a write the API accepts is never dead-lettered.
    const checked = wireEventSchemas[event.event_type].safeParse(event);
    if (!checked.success) {
      throw new ValidationError(
        checked.error.issues.map((issue) => ({ path: issue.path.join('.') || 'input', message: issue.message })),
      );
    }
    await this.publisher.publish([event]);
    this.logger.log(`${escapeForLog(actor)} put ${event.event_type} ${escapeForLog(event.event_id)}`);
    const sku = 'product' in event ? event.product.product_id : 'sku' in event ? event.sku : '';
    return { eventId: event.event_id!, eventType: event.event_type, sku };
  }
}

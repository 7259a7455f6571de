import { Column, Entity, Index } from 'typeorm';
import { StreamPositionColumns } from './entity-columns';

/** Every event, once: `event_id` is unique, so a re-read or a retried job inserts nothing new. */
@Entity({ name: 'inventory_events' })
@Index('idx_inventory_events_occurred', ['occurredAt'])
export class InventoryEventEntity extends StreamPositionColumns {
  @Index('uq_inventory_events_event_id', { unique: true })
  @Column({ name: 'event_id', type: 'varchar', length: 160 })
  eventId!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 32 })
  eventType!: string;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt!: Date;

  @Column({ type: 'varchar', length: 64 })
  location!: string;

  @Column({ type: 'varchar', length: 64 })
  source!: string;

  /** The SKU of single-SKU events; order events list theirs in the payload. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  sku!: string | null;

  @Column({ name: 'order_id', type: 'varchar', length: 128, nullable: true })
  orderId!: string | null;

  @Column({ type: 'json' })
  payload!: unknown;

  /** The live-state version of the batch that applied this event: with `id`, the order Redis applied it in. */
  @Column({ name: 'apply_version', type: 'bigint', nullable: true })
  applyVersion!: string | null;
}

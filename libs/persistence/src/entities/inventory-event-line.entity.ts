import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { SalesColumns } from './entity-columns';

/**
 * One stock effect of an event (one per order line, one for single-SKU events), with its sales
 * figures and the COGS costed at the moving-average cost when it was applied, so rollups are
 * pure SQL sums.
 */
// The table's primary key is (sku, occurred_at, id), so a SKU's history is one contiguous range
// (migration 1764400000000); `id` is unique and auto-incremented. Writes and reads are plain SQL.
@Entity({ name: 'inventory_event_lines' })
@Index('uq_event_lines_id', ['id'], { unique: true })
@Index('idx_event_lines_occurred', ['occurredAt'])
export class InventoryEventLineEntity extends SalesColumns {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'event_id', type: 'varchar', length: 160 })
  eventId!: string;

  @Column({ name: 'line_no', type: 'int' })
  lineNo!: number;

  @Column({ name: 'event_type', type: 'varchar', length: 32 })
  eventType!: string;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt!: Date;

  @Column({ name: 'minute_at', type: 'datetime' })
  minuteAt!: Date;

  @Column({ type: 'varchar', length: 64 })
  source!: string;

  @Column({ type: 'varchar', length: 64 })
  location!: string;

  @Column({ type: 'varchar', length: 128 })
  sku!: string;

  @Column({ type: 'tinyint' })
  orders!: number;

  @Column({ name: 'on_hand_after', type: 'bigint' })
  onHandAfter!: string;

  @Column({ name: 'committed_after', type: 'bigint' })
  committedAfter!: string;
}

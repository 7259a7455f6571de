import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One stock alert (low stock, out of stock, back in stock) as raised by the live apply. */
@Entity({ name: 'alerts' })
export class AlertEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'alert_id', type: 'varchar', length: 400, unique: true })
  alertId!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ type: 'varchar', length: 128 })
  sku!: string;

  @Column({ type: 'varchar', length: 64 })
  location!: string;

  @Column({ type: 'bigint' })
  available!: string;

  @Column({ name: 'reorder_point', type: 'int', nullable: true })
  reorderPoint!: number | null;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt!: Date;

  @Column({ name: 'stockout_ms', type: 'bigint', nullable: true })
  stockoutMs!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status!: string;

  @Column({ name: 'acknowledged_at', type: 'datetime', precision: 3, nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'acknowledged_by', type: 'varchar', length: 128, nullable: true })
  acknowledgedBy!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** stock_levels copied at each snapshot tick; kept when raw events age out. */
@Entity({ name: 'stock_snapshots' })
@Index('idx_stock_snapshots_sku', ['sku', 'takenAt'])
export class StockSnapshotEntity {
  @PrimaryColumn({ name: 'taken_at', type: 'datetime' })
  takenAt!: Date;

  @PrimaryColumn({ type: 'varchar', length: 128 })
  sku!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  location!: string;

  @Column({ name: 'on_hand', type: 'bigint' })
  onHand!: string;

  @Column({ type: 'bigint' })
  committed!: string;

  @Column({ name: 'unit_cost_cents', type: 'bigint', nullable: true })
  unitCostCents!: string | null;

  @Column({ type: 'boolean' })
  active!: boolean;
}

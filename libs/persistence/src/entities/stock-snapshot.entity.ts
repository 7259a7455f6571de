import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { StockColumns } from './entity-columns';

/** stock_levels copied at each snapshot tick; kept when raw events age out. */
@Entity({ name: 'stock_snapshots' })
@Index('idx_stock_snapshots_sku', ['sku', 'takenAt'])
export class StockSnapshotEntity extends StockColumns {
  @PrimaryColumn({ name: 'taken_at', type: 'datetime' })
  takenAt!: Date;

  @PrimaryColumn({ type: 'varchar', length: 128 })
  sku!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  location!: string;

  @Column({ type: 'boolean' })
  active!: boolean;
}

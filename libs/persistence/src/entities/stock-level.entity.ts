import { Column, Entity, PrimaryColumn } from 'typeorm';
import { StockColumns } from './entity-columns';

/** Current stock per SKU and location, kept by the persist-batch jobs in shard order. */
@Entity({ name: 'stock_levels' })
export class StockLevelEntity extends StockColumns {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  sku!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  location!: string;

  @Column({ type: 'varchar', length: 256, nullable: true })
  name!: string | null;

  @Column({ name: 'unit_price_cents', type: 'bigint', nullable: true })
  unitPriceCents!: string | null;

  @Column({ name: 'reorder_point', type: 'int', nullable: true })
  reorderPoint!: number | null;

  @Column({ type: 'boolean' })
  active!: boolean;

  @Column({ name: 'last_event_at', type: 'datetime', precision: 3, nullable: true })
  lastEventAt!: Date | null;

  /** The live-state version of the batch that last set this row (the one order across shards). */
  @Column({ name: 'live_version', type: 'bigint', nullable: true })
  liveVersion!: string | null;

  /** The supplier named by the latest restock that named one (replenishment groups by it). */
  @Column({ name: 'supplier_id', type: 'varchar', length: 128, nullable: true })
  supplierId!: string | null;

  /** When that restock happened, so restocks stored out of order keep the latest supplier. */
  @Column({ name: 'supplier_at', type: 'datetime', precision: 3, nullable: true })
  supplierAt!: Date | null;
}

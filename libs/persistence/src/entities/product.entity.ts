import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'products' })
export class ProductEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  sku!: string;

  @Column({ type: 'varchar', length: 256, nullable: true })
  name!: string | null;

  @Column({ name: 'unit_price_cents', type: 'bigint', nullable: true })
  unitPriceCents!: string | null;

  @Column({ name: 'unit_cost_cents', type: 'bigint', nullable: true })
  unitCostCents!: string | null;

  @Column({ name: 'reorder_point', type: 'int', nullable: true })
  reorderPoint!: number | null;

  @Column({ type: 'varchar', length: 256, nullable: true })
  category!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}

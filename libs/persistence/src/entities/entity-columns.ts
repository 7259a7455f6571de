import { Column, PrimaryGeneratedColumn } from 'typeorm';

// Column groups several tables share, declared once (the schema itself is made by the migrations).

/** A row id and the stream position of the record it came from. */
export abstract class StreamPositionColumns {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'stream_name', type: 'varchar', length: 128 })
  streamName!: string;

  @Column({ name: 'shard_id', type: 'varchar', length: 64 })
  shardId!: string;

  @Column({ name: 'sequence_number', type: 'varchar', length: 64 })
  sequenceNumber!: string;

  @Column({ name: 'sub_sequence', type: 'int' })
  subSequence!: number;
}

/** A SKU's stock at a location: on hand, committed to orders, moving-average unit cost. */
export abstract class StockColumns {
  @Column({ name: 'on_hand', type: 'bigint' })
  onHand!: string;

  @Column({ type: 'bigint' })
  committed!: string;

  @Column({ name: 'unit_cost_cents', type: 'bigint', nullable: true })
  unitCostCents!: string | null;
}

/** Sales sums: net units, revenue, units shipped net of returns and their cost. */
export abstract class SalesColumns {
  @Column({ type: 'bigint' })
  units!: string;

  @Column({ name: 'revenue_cents', type: 'bigint' })
  revenueCents!: string;

  @Column({ type: 'bigint' })
  shipped!: string;

  @Column({ name: 'cogs_cents', type: 'bigint' })
  cogsCents!: string;
}

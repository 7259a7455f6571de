import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far each shard's events are persisted; batches apply in order after it. */
@Entity({ name: 'shard_positions' })
export class ShardPositionEntity {
  @PrimaryColumn({ name: 'stream_name', type: 'varchar', length: 128 })
  streamName!: string;

  @PrimaryColumn({ name: 'shard_id', type: 'varchar', length: 64 })
  shardId!: string;

  @Column({ name: 'sequence_number', type: 'varchar', length: 64, nullable: true })
  sequenceNumber!: string | null;

  @Column({ name: 'sub_sequence', type: 'int' })
  subSequence!: number;
}

import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'dead_letters' })
@Index('uq_dead_letters_position', ['streamName', 'shardId', 'sequenceNumber', 'subSequence'], { unique: true })
export class DeadLetterEntity {
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

  @Index('idx_dead_letters_reason')
  @Column({ type: 'varchar', length: 32 })
  reason!: string;

  @Column({ type: 'varchar', length: 1024 })
  detail!: string;

  @Column({ name: 'raw_base64', type: 'text' })
  rawBase64!: string;

  @Column({ name: 'raw_bytes', type: 'int' })
  rawBytes!: number;

  @Column({ name: 'received_at', type: 'datetime', precision: 3 })
  receivedAt!: Date;
}

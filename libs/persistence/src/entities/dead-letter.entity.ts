import { Column, Entity, Index } from 'typeorm';
import { StreamPositionColumns } from './entity-columns';

@Entity({ name: 'dead_letters' })
@Index('uq_dead_letters_position', ['streamName', 'shardId', 'sequenceNumber', 'subSequence'], { unique: true })
export class DeadLetterEntity extends StreamPositionColumns {
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

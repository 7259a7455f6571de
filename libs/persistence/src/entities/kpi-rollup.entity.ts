import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { SalesColumns } from './entity-columns';

/** The sums both rollups keep for one period, source and location. */
abstract class KpiSums extends SalesColumns {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  source!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  location!: string;

  @Column({ type: 'int' })
  events!: number;

  @Column({ type: 'int' })
  orders!: number;
}

/** Sales per minute, source and location, recomputed from inventory_event_lines for touched minutes. */
@Entity({ name: 'kpi_minute' })
@Index('idx_kpi_minute_source', ['source', 'minuteAt'])
export class KpiMinuteEntity extends KpiSums {
  @PrimaryColumn({ name: 'minute_at', type: 'datetime' })
  minuteAt!: Date;
}

/** The same sums per hour, recomputed from kpi_minute, so 30-day queries read 720 rows per series. */
@Entity({ name: 'kpi_hour' })
@Index('idx_kpi_hour_source', ['source', 'hourAt'])
export class KpiHourEntity extends KpiSums {
  @PrimaryColumn({ name: 'hour_at', type: 'datetime' })
  hourAt!: Date;
}

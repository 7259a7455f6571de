import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * History: one row per stock effect of an event (with the COGS costed when it was applied),
 * per-minute and per-hour rollups recomputed from those rows, and periodic stock snapshots.
 */
export class History1764200000000 implements MigrationInterface {
  name = 'History1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE inventory_event_lines (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      event_id VARCHAR(160) NOT NULL,
      line_no INT NOT NULL,
      event_type VARCHAR(32) NOT NULL,
      occurred_at DATETIME(3) NOT NULL,
      minute_at DATETIME NOT NULL,
      source VARCHAR(64) NOT NULL,
      location VARCHAR(64) NOT NULL,
      sku VARCHAR(128) NOT NULL,
      orders TINYINT NOT NULL,
      units INT NOT NULL,
      revenue_cents BIGINT NOT NULL,
      shipped INT NOT NULL,
      cogs_cents BIGINT NOT NULL,
      on_hand_after INT NOT NULL,
      committed_after INT NOT NULL,
      UNIQUE KEY uq_event_lines_event (event_id, line_no),
      KEY idx_event_lines_minute (minute_at, source, location),
      KEY idx_event_lines_sku (sku, occurred_at, id),
      KEY idx_event_lines_occurred (occurred_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    for (const [table, column] of [
      ['kpi_minute', 'minute_at'],
      ['kpi_hour', 'hour_at'],
    ]) {
      await queryRunner.query(`CREATE TABLE ${table} (
        ${column} DATETIME NOT NULL,
        source VARCHAR(64) NOT NULL,
        location VARCHAR(64) NOT NULL,
        events INT NOT NULL,
        orders INT NOT NULL,
        units INT NOT NULL,
        revenue_cents BIGINT NOT NULL,
        shipped INT NOT NULL,
        cogs_cents BIGINT NOT NULL,
        PRIMARY KEY (${column}, source, location),
        KEY idx_${table}_source (source, ${column})
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    }
    await queryRunner.query(`CREATE TABLE stock_snapshots (
      taken_at DATETIME NOT NULL,
      sku VARCHAR(128) NOT NULL,
      location VARCHAR(64) NOT NULL,
      on_hand INT NOT NULL,
      committed INT NOT NULL,
      unit_cost_cents BIGINT NULL,
      active TINYINT(1) NOT NULL,
      PRIMARY KEY (taken_at, sku, location),
      KEY idx_stock_snapshots_sku (sku, taken_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['stock_snapshots', 'kpi_hour', 'kpi_minute', 'inventory_event_lines']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** Stock alerts raised by the live apply, one row per crossing (the id is deterministic). */
export class Alerts1763900000000 implements MigrationInterface {
  name = 'Alerts1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE alerts (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      alert_id VARCHAR(400) NOT NULL,
      kind VARCHAR(32) NOT NULL,
      sku VARCHAR(128) NOT NULL,
      location VARCHAR(64) NOT NULL,
      available INT NOT NULL,
      reorder_point INT NULL,
      occurred_at DATETIME(3) NOT NULL,
      stockout_ms BIGINT NULL,
      status VARCHAR(16) NOT NULL DEFAULT 'open',
      acknowledged_at DATETIME(3) NULL,
      acknowledged_by VARCHAR(128) NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      UNIQUE KEY uq_alerts_alert_id (alert_id),
      KEY idx_alerts_occurred (occurred_at),
      KEY idx_alerts_status (status, occurred_at),
      KEY idx_alerts_sku (sku, occurred_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE alerts');
  }
}

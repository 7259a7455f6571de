import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763700000000 implements MigrationInterface {
  name = 'InitialSchema1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE products (
      sku VARCHAR(128) NOT NULL PRIMARY KEY,
      name VARCHAR(256) NULL,
      unit_price_cents BIGINT NULL,
      unit_cost_cents BIGINT NULL,
      reorder_point INT NULL,
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    await queryRunner.query(`CREATE TABLE inventory_events (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      event_id VARCHAR(160) NOT NULL,
      event_type VARCHAR(32) NOT NULL,
      stream_name VARCHAR(128) NOT NULL,
      shard_id VARCHAR(64) NOT NULL,
      sequence_number VARCHAR(64) NOT NULL,
      sub_sequence INT NOT NULL,
      occurred_at DATETIME(3) NOT NULL,
      location VARCHAR(64) NOT NULL,
      source VARCHAR(64) NOT NULL,
      sku VARCHAR(128) NULL,
      order_id VARCHAR(128) NULL,
      payload JSON NOT NULL,
      UNIQUE KEY uq_inventory_events_event_id (event_id),
      KEY idx_inventory_events_occurred (occurred_at),
      KEY idx_inventory_events_sku (sku, occurred_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    await queryRunner.query(`CREATE TABLE stock_levels (
      sku VARCHAR(128) NOT NULL,
      location VARCHAR(64) NOT NULL,
      name VARCHAR(256) NULL,
      on_hand INT NOT NULL,
      committed INT NOT NULL,
      unit_cost_cents BIGINT NULL,
      unit_price_cents BIGINT NULL,
      reorder_point INT NULL,
      active TINYINT(1) NOT NULL,
      last_event_at DATETIME(3) NULL,
      PRIMARY KEY (sku, location)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    await queryRunner.query(`CREATE TABLE shard_positions (
      stream_name VARCHAR(128) NOT NULL,
      shard_id VARCHAR(64) NOT NULL,
      sequence_number VARCHAR(64) NULL,
      sub_sequence INT NOT NULL,
      PRIMARY KEY (stream_name, shard_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    await queryRunner.query(`CREATE TABLE dead_letters (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      stream_name VARCHAR(128) NOT NULL,
      shard_id VARCHAR(64) NOT NULL,
      sequence_number VARCHAR(64) NOT NULL,
      sub_sequence INT NOT NULL,
      reason VARCHAR(32) NOT NULL,
      detail VARCHAR(1024) NOT NULL,
      raw_base64 TEXT NOT NULL,
      raw_bytes INT NOT NULL,
      received_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_dead_letters_position (stream_name, shard_id, sequence_number, sub_sequence),
      KEY idx_dead_letters_reason (reason)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['dead_letters', 'shard_positions', 'stock_levels', 'inventory_events', 'products']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}

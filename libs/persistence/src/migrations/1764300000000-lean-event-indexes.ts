import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A SKU's history is read from inventory_event_lines; no query reads
 * inventory_events by SKU, so its SKU index only cost every persisted event one more index write.
 */
export class LeanEventIndexes1764300000000 implements MigrationInterface {
  name = 'LeanEventIndexes1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE inventory_events DROP INDEX idx_inventory_events_sku');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE inventory_events ADD INDEX idx_inventory_events_sku (sku, occurred_at)');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * New and returning customers: an order event's salted customer hash (the raw id is never stored,
 * see libs/ingest customerHash) as a generated column of the stored event, indexed, so the history
 * and the customer segments read it without parsing every payload. The persist writer is unchanged.
 */
export class CustomerHash1764950000000 implements MigrationInterface {
  name = 'CustomerHash1764950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE inventory_events
         ADD COLUMN customer_hash CHAR(32) AS (JSON_UNQUOTE(JSON_EXTRACT(payload, '$.customerHash'))) VIRTUAL,
         ADD KEY idx_inventory_events_customer (customer_hash, occurred_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE inventory_events DROP KEY idx_inventory_events_customer, DROP COLUMN customer_hash',
    );
  }
}

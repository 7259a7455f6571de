import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every event id MySQL ever stored, kept for ever: the retention prune deletes events and their
 * lines, never their ids, so an event imported again after the prune is still known (the persist
 * writer inserts each stored event's id in its transaction; `replay` skips the ids found here).
 * `event_id` has the length of inventory_events.event_id. Rows backfilled from inventory_events get
 * the migration's time as `first_stored_at` (when they were first stored was not kept).
 */
export class EventIdentities1764700000000 implements MigrationInterface {
  name = 'EventIdentities1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE event_identities (
      event_id VARCHAR(160) NOT NULL PRIMARY KEY,
      first_stored_at DATETIME(3) NOT NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    await queryRunner.query(
      `INSERT IGNORE INTO event_identities (event_id, first_stored_at)
       SELECT event_id, UTC_TIMESTAMP(3) FROM inventory_events`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE event_identities');
  }
}

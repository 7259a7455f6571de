import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rollups are now added from each batch's own lines, so nothing reads inventory_event_lines by
 * minute any more; and a line is only written in the transaction that inserts its event, whose
 * `event_id` is unique in inventory_events, so the lines' own unique (event_id, line_no) guarded
 * nothing that is not guarded already. Both cost every persisted line an index write (the unique
 * one also a read).
 */
export class LeanLineIndexes1764500000000 implements MigrationInterface {
  name = 'LeanLineIndexes1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE inventory_event_lines DROP INDEX idx_event_lines_minute, DROP INDEX uq_event_lines_event',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE inventory_event_lines ADD INDEX idx_event_lines_minute (minute_at, source, location),
         ADD UNIQUE KEY uq_event_lines_event (event_id, line_no)`,
    );
  }
}

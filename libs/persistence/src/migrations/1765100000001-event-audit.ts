import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who made each change and why: the stored event's `actor` and `reason` (set by the API's write
 * path, optional for other producers) as generated columns of inventory_events, the actor indexed
 * for `GET /movements?user=`. The persist writer is unchanged: both come from the stored payload.
 */
export class EventAudit1765100000001 implements MigrationInterface {
  name = 'EventAudit1765100000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE inventory_events
         ADD COLUMN actor VARCHAR(512) AS (JSON_UNQUOTE(JSON_EXTRACT(payload, '$.actor'))) VIRTUAL,
         ADD COLUMN reason TEXT AS (JSON_UNQUOTE(JSON_EXTRACT(payload, '$.reason'))) VIRTUAL,
         ADD KEY idx_inventory_events_actor (actor, occurred_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE inventory_events DROP KEY idx_inventory_events_actor, DROP COLUMN reason, DROP COLUMN actor',
    );
  }
}

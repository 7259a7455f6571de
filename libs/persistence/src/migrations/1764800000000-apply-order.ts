import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The one order of effects across shards (docs/aggregation.md, "One order across shards"): each
 * stored event carries the live-state version of the batch that applied it, and each stock level
 * the version that last set it, so MySQL keeps the state of the latest apply whatever order the
 * shards' persist jobs commit in, and a recomputation folds the events in the order Redis did.
 */
export class ApplyOrder1764800000000 implements MigrationInterface {
  name = 'ApplyOrder1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE stock_levels ADD COLUMN live_version BIGINT NULL');
    await queryRunner.query(
      `ALTER TABLE inventory_events ADD COLUMN apply_version BIGINT NULL,
         ADD KEY idx_inventory_events_apply (apply_version, id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE inventory_events DROP KEY idx_inventory_events_apply, DROP COLUMN apply_version',
    );
    await queryRunner.query('ALTER TABLE stock_levels DROP COLUMN live_version');
  }
}

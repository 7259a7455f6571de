import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stock and unit counters as BIGINT. The wire limits bound each field, not an event's totals: an
 * order of 500 lines of one SKU at 10,000,000 units commits 5,000,000,000 units, beyond INT, and
 * strict mode refuses the row instead of clamping it. Money columns are BIGINT already.
 */
const WIDENED: [table: string, columns: string[]][] = [
  ['stock_levels', ['on_hand', 'committed']],
  ['stock_snapshots', ['on_hand', 'committed']],
  ['inventory_event_lines', ['units', 'shipped', 'on_hand_after', 'committed_after']],
  ['kpi_minute', ['units', 'shipped']],
  ['kpi_hour', ['units', 'shipped']],
  ['alerts', ['available']],
];

export class WideStockColumns1764600000000 implements MigrationInterface {
  name = 'WideStockColumns1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, columns] of WIDENED) {
      await queryRunner.query(
        `ALTER TABLE ${table} ${columns.map((column) => `MODIFY ${column} BIGINT NOT NULL`).join(', ')}`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, columns] of WIDENED) {
      await queryRunner.query(
        `ALTER TABLE ${table} ${columns.map((column) => `MODIFY ${column} INT NOT NULL`).join(', ')}`,
      );
    }
  }
}

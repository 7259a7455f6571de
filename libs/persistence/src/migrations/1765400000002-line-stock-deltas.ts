import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { SqlRunner } from './sql-runner';

/**
 * Stock over time without replaying every stored line. A line's effect on its SKU's stock is its
 * stock after minus the stock before it in apply order; the history read it with `LAG()` over every
 * line up to the range's end (5,000,000 in the history bench, more than 20 s). Now:
 * - `inventory_event_lines.on_hand_delta` / `committed_delta` hold that effect, written by the
 *   persist path (it knows each SKU's state before the batch and replays the batch line by line);
 * - `stock_day_deltas` sums the effects per UTC day, SKU and location, with the day's latest line
 *   time, added once per stored line like the other rollups (sums commute, so shards may write in
 *   any order). The stock just before a moment is the days before its day plus that day's lines
 *   before it; it stays when raw events are pruned.
 * Filled here from the stored lines, with the effects as `LAG()` computed them; safe to run again
 * after a failure part-way, like 1765400000000.
 */
export class LineStockDeltas1765400000002 implements MigrationInterface {
  name = 'LineStockDeltas1765400000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE inventory_event_lines ADD COLUMN IF NOT EXISTS on_hand_delta BIGINT NOT NULL DEFAULT 0,
         ADD COLUMN IF NOT EXISTS committed_delta BIGINT NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS stock_day_deltas (
        day_at DATETIME NOT NULL,
        sku VARCHAR(128) NOT NULL,
        location VARCHAR(64) NOT NULL,
        on_hand BIGINT NOT NULL,
        committed BIGINT NOT NULL,
        last_at DATETIME(3) NOT NULL,
        PRIMARY KEY (day_at, sku, location)
      ) ENGINE=InnoDB`,
    );
    await fillStockDeltas(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE stock_day_deltas');
    await queryRunner.query('ALTER TABLE inventory_event_lines DROP COLUMN on_hand_delta, DROP COLUMN committed_delta');
  }
}

/** SKUs per step of the fill: each step reads and rewrites only their lines (one primary-key range). */
const FILL_SKUS = 50;
/** Effects per INSERT into the temporary table. */
const FILL_ROWS = 5_000;

/**
 * Sets every stored line's stock effect (apply order, as the persist path writes it) and sums them
 * per day. `sql` must be one connection (the effects go through a temporary table). A few SKUs at a
 * time, their lines are read in apply order and each line's effect (its stock minus the previous
 * line's, as `LAG()` gives it) is computed here, stored in that table and then set. Computing the
 * effects with `LAG()` in MariaDB 10.11 failed over the history bench's 5,040,000 lines whenever the
 * window's temporary table went to disk (`Error on delete of '#sql-temptable…MAI'`).
 */
export async function fillStockDeltas(sql: SqlRunner): Promise<void> {
  const skus = (
    (await sql.query('SELECT DISTINCT sku FROM inventory_event_lines ORDER BY sku')) as { sku: string }[]
  ).map((row) => row.sku);
  await sql.query(
    `CREATE TEMPORARY TABLE IF NOT EXISTS fill_line_effects
       (id BIGINT NOT NULL PRIMARY KEY, on_hand BIGINT NOT NULL, committed BIGINT NOT NULL) ENGINE=InnoDB`,
  );
  try {
    for (let start = 0; start < skus.length; start += FILL_SKUS) {
      const range = [skus[start], skus[Math.min(skus.length, start + FILL_SKUS) - 1]];
      const lines = (await sql.query(
        `SELECT l.id, l.sku, l.location, l.on_hand_after, l.committed_after
         FROM inventory_event_lines l JOIN inventory_events e ON e.event_id = l.event_id
         WHERE l.sku BETWEEN ? AND ? ORDER BY l.sku, l.location, e.apply_version, l.id`,
        range,
      )) as { id: string; sku: string; location: string; on_hand_after: string; committed_after: string }[];
      const effects: [string, number, number][] = [];
      let previous: (typeof lines)[number] | null = null;
      for (const line of lines) {
        const same = previous !== null && previous.sku === line.sku && previous.location === line.location;
        effects.push([
          line.id,
          Number(line.on_hand_after) - (same ? Number(previous!.on_hand_after) : 0),
          Number(line.committed_after) - (same ? Number(previous!.committed_after) : 0),
        ]);
        previous = line;
      }
      await sql.query('DELETE FROM fill_line_effects');
      for (let first = 0; first < effects.length; first += FILL_ROWS) {
        await sql.query('INSERT INTO fill_line_effects (id, on_hand, committed) VALUES ?', [
          effects.slice(first, first + FILL_ROWS),
        ]);
      }
      await sql.query(
        `UPDATE inventory_event_lines l JOIN fill_line_effects effect ON effect.id = l.id
         SET l.on_hand_delta = effect.on_hand, l.committed_delta = effect.committed WHERE l.sku BETWEEN ? AND ?`,
        range,
      );
    }
  } finally {
    await sql.query('DROP TEMPORARY TABLE IF EXISTS fill_line_effects');
  }
  await sql.query('DELETE FROM stock_day_deltas');
  await sql.query(
    `INSERT INTO stock_day_deltas (day_at, sku, location, on_hand, committed, last_at)
     SELECT DATE(occurred_at), sku, location, SUM(on_hand_delta), SUM(committed_delta), MAX(occurred_at)
     FROM inventory_event_lines GROUP BY DATE(occurred_at), sku, location`,
  );
}

import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { SqlRunner } from './sql-runner';

/**
 * Reads of the stock reports in proportion to the range asked for, not to the whole history:
 * - `sku_sales_day`: each SKU's sales per UTC day, location and source, kept by the persist path
 *   like `kpi_hour` (sums added once per stored line, so exact under redelivery). Top products and
 *   slow movers read whole days from it and only the edges of a range from the raw lines; it stays
 *   when raw events are pruned. `sales_lines`, `units` and `revenue_cents` count the lines with
 *   units (what top products ranks), `shipped` every line, `last_sale_at` the latest line that
 *   shipped units.
 * - `stock_levels.supplier_id`: the supplier named by the SKU's latest restock naming one
 *   (`supplier_at` is that restock's time, so restocks stored out of order keep the latest), read by
 *   the replenishment report instead of every stored restock's payload.
 * Both are filled from the stored rows here. Safe to run again after a failure part-way (MySQL
 * commits DDL at once, so a failed migration's transaction cannot undo it): every step checks or refills.
 */
export class SkuSalesDay1765400000000 implements MigrationInterface {
  name = 'SkuSalesDay1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS sku_sales_day (
        day_at DATETIME NOT NULL,
        sku VARCHAR(128) NOT NULL,
        location VARCHAR(64) NOT NULL,
        source VARCHAR(64) NOT NULL,
        sales_lines INT NOT NULL,
        units BIGINT NOT NULL,
        revenue_cents BIGINT NOT NULL,
        shipped BIGINT NOT NULL,
        last_sale_at DATETIME(3) NULL,
        PRIMARY KEY (day_at, sku, location, source)
      ) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE stock_levels ADD COLUMN IF NOT EXISTS supplier_id VARCHAR(128) NULL,
         ADD COLUMN IF NOT EXISTS supplier_at DATETIME(3) NULL`,
    );
    await fillSkuSalesDays(queryRunner);
    await fillSuppliers(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE stock_levels DROP COLUMN supplier_id, DROP COLUMN supplier_at');
    await queryRunner.query('DROP TABLE sku_sales_day');
  }
}

/** Fills `sku_sales_day` from every stored line (what the persist path adds line by line). */
export async function fillSkuSalesDays(sql: SqlRunner): Promise<void> {
  await sql.query('DELETE FROM sku_sales_day');
  await sql.query(
    `INSERT INTO sku_sales_day (day_at, sku, location, source, sales_lines, units, revenue_cents, shipped,
         last_sale_at)
       SELECT DATE(occurred_at), sku, location, source, SUM(units <> 0), SUM(IF(units <> 0, units, 0)),
         SUM(IF(units <> 0, revenue_cents, 0)), SUM(shipped), MAX(IF(shipped > 0, occurred_at, NULL))
       FROM inventory_event_lines WHERE units <> 0 OR shipped <> 0
       GROUP BY DATE(occurred_at), sku, location, source`,
  );
}

/** Sets each SKU's supplier from its latest stored restock naming one. */
export async function fillSuppliers(sql: SqlRunner): Promise<void> {
  await sql.query(
    `UPDATE stock_levels s JOIN (
         SELECT sku, location, supplier, occurred_at FROM (
           SELECT sku, location, JSON_UNQUOTE(JSON_EXTRACT(payload, '$.supplierId')) AS supplier, occurred_at,
             ROW_NUMBER() OVER (PARTITION BY sku, location ORDER BY occurred_at DESC, id DESC) AS latest
           FROM inventory_events
           WHERE event_type = 'restock_received' AND sku IS NOT NULL
             AND JSON_UNQUOTE(JSON_EXTRACT(payload, '$.supplierId')) NOT IN ('', 'null')) named
         WHERE latest = 1) restock ON restock.sku = s.sku AND restock.location = s.location
       SET s.supplier_id = restock.supplier, s.supplier_at = restock.occurred_at`,
  );
}

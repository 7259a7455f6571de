import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { SqlRunner } from './sql-runner';

/**
 * The customer figures (new and returning customers, RFM segments) read every stored order before a
 * range's end with its JSON payload. `customer_orders` keeps one narrow row per order of a known
 * customer (salted hash, time, source, location, revenue as the fold counts it), written by the
 * persist path with the order: the segments read the range's rows, and the history its range's rows
 * plus each of those customers' first order, by `(customer_hash, occurred_at)`. Filled here from the
 * stored orders; safe to run again after a failure part-way, like 1765400000000.
 */
export class CustomerOrders1765400000001 implements MigrationInterface {
  name = 'CustomerOrders1765400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS customer_orders (
        event_id VARCHAR(160) NOT NULL,
        customer_hash CHAR(32) NOT NULL,
        occurred_at DATETIME(3) NOT NULL,
        source VARCHAR(64) NOT NULL,
        location VARCHAR(64) NOT NULL,
        revenue_cents BIGINT NOT NULL,
        PRIMARY KEY (event_id),
        KEY idx_customer_orders_time (occurred_at, customer_hash),
        KEY idx_customer_orders_customer (customer_hash, occurred_at)
      ) ENGINE=InnoDB`,
    );
    await fillCustomerOrders(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE customer_orders');
  }
}

/** Fills `customer_orders` from every stored order of a known customer. */
export async function fillCustomerOrders(sql: SqlRunner): Promise<void> {
  await sql.query('DELETE FROM customer_orders');
  await sql.query(
    `INSERT INTO customer_orders (event_id, customer_hash, occurred_at, source, location, revenue_cents)
       SELECT e.event_id, e.customer_hash, e.occurred_at, e.source, e.location,
         COALESCE(SUM(line.quantity * COALESCE(line.unit_price_cents, 0)), 0)
       FROM inventory_events e
         LEFT JOIN JSON_TABLE(e.payload, '$.lines[*]' COLUMNS (
           quantity BIGINT PATH '$.quantity', unit_price_cents BIGINT PATH '$.unitPriceCents')) AS line ON TRUE
       WHERE e.event_type = 'order_placed' AND e.customer_hash IS NOT NULL
       GROUP BY e.id`,
  );
}

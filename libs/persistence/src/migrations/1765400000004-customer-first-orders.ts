import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { SqlRunner } from './sql-runner';

/**
 * Each known customer's first order (salted hash → time), kept by the persist path with `LEAST()`
 * (so redelivery and shards committing in any order leave the earliest). The history's new and
 * returning customers of an unscoped request look each customer of the range up here instead of
 * diving into the orders index per customer (6.7 s for a day of the history bench, from disk).
 * Requests scoped to a source or location still read `customer_orders`. Filled here from it; safe to
 * run again after a failure part-way, like 1765400000000.
 */
export class CustomerFirstOrders1765400000004 implements MigrationInterface {
  name = 'CustomerFirstOrders1765400000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS customer_first_orders (
        customer_hash CHAR(32) NOT NULL,
        first_at DATETIME(3) NOT NULL,
        PRIMARY KEY (customer_hash)
      ) ENGINE=InnoDB`,
    );
    await fillCustomerFirstOrders(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE customer_first_orders');
  }
}

/** Fills `customer_first_orders` from every stored customer order. */
export async function fillCustomerFirstOrders(sql: SqlRunner): Promise<void> {
  await sql.query('DELETE FROM customer_first_orders');
  await sql.query(
    `INSERT INTO customer_first_orders (customer_hash, first_at)
     SELECT customer_hash, MIN(occurred_at) FROM customer_orders GROUP BY customer_hash`,
  );
}

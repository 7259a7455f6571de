import { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog fields product_updated may set that the live state does not keep: category and description. */
export class ProductCatalog1765100000002 implements MigrationInterface {
  name = 'ProductCatalog1765100000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE products ADD COLUMN category VARCHAR(256) NULL, ADD COLUMN description TEXT NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE products DROP COLUMN description, DROP COLUMN category');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** Console accounts: one row per person, the e-mail stored normalised (lower case) and unique. */
export class Users1765100000000 implements MigrationInterface {
  name = 'Users1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE users (
         id BIGINT NOT NULL AUTO_INCREMENT,
         email VARCHAR(254) NOT NULL,
         password_hash VARCHAR(255) NOT NULL,
         role VARCHAR(16) NOT NULL,
         disabled TINYINT(1) NOT NULL DEFAULT 0,
         created_at DATETIME(3) NOT NULL,
         last_login_at DATETIME(3) NULL,
         PRIMARY KEY (id),
         UNIQUE KEY uq_users_email (email)
       ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE users');
  }
}

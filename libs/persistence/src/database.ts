import { readFileSync } from 'node:fs';
import type { SslOptions } from 'mysql2';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { type DatabaseTls, DependencyUnavailableError, redactUrl } from '@stockwall/config';
import { AlertEntity } from './entities/alert.entity';
import { DeadLetterEntity } from './entities/dead-letter.entity';
import { InventoryEventEntity } from './entities/inventory-event.entity';
import { ProductEntity } from './entities/product.entity';
import { ShardPositionEntity } from './entities/shard-position.entity';
import { StockLevelEntity } from './entities/stock-level.entity';
import { InventoryEventLineEntity } from './entities/inventory-event-line.entity';
import { KpiHourEntity, KpiMinuteEntity } from './entities/kpi-rollup.entity';
import { StockSnapshotEntity } from './entities/stock-snapshot.entity';
import { UserEntity } from './entities/user.entity';
import { InitialSchema1763700000000 } from './migrations/1763700000000-initial-schema';
import { Alerts1763900000000 } from './migrations/1763900000000-alerts';
import { History1764200000000 } from './migrations/1764200000000-history';
import { LeanEventIndexes1764300000000 } from './migrations/1764300000000-lean-event-indexes';
import { LinesBySku1764400000000 } from './migrations/1764400000000-lines-by-sku';
import { LeanLineIndexes1764500000000 } from './migrations/1764500000000-lean-line-indexes';
import { WideStockColumns1764600000000 } from './migrations/1764600000000-wide-stock-columns';
import { EventIdentities1764700000000 } from './migrations/1764700000000-event-identities';
import { ApplyOrder1764800000000 } from './migrations/1764800000000-apply-order';
import { CustomerHash1764950000000 } from './migrations/1764950000000-customer-hash';
import { Users1765100000000 } from './migrations/1765100000000-users';
import { EventAudit1765100000001 } from './migrations/1765100000001-event-audit';
import { ProductCatalog1765100000002 } from './migrations/1765100000002-product-catalog';
import { EventTypeIndex1765300000000 } from './migrations/1765300000000-event-type-index';
import { SkuSalesDay1765400000000 } from './migrations/1765400000000-sku-sales-day';
import { CustomerOrders1765400000001 } from './migrations/1765400000001-customer-orders';
import { LineStockDeltas1765400000002 } from './migrations/1765400000002-line-stock-deltas';
import { LineTypeIndex1765400000003 } from './migrations/1765400000003-line-type-index';
import { CustomerFirstOrders1765400000004 } from './migrations/1765400000004-customer-first-orders';
import { LastSaleIndex1765400000005 } from './migrations/1765400000005-last-sale-index';

export const ENTITIES = [
  ProductEntity,
  InventoryEventEntity,
  StockLevelEntity,
  ShardPositionEntity,
  DeadLetterEntity,
  AlertEntity,
  InventoryEventLineEntity,
  KpiMinuteEntity,
  KpiHourEntity,
  StockSnapshotEntity,
  UserEntity,
];
export const MIGRATIONS = [
  InitialSchema1763700000000,
  Alerts1763900000000,
  History1764200000000,
  LeanEventIndexes1764300000000,
  LinesBySku1764400000000,
  LeanLineIndexes1764500000000,
  WideStockColumns1764600000000,
  EventIdentities1764700000000,
  ApplyOrder1764800000000,
  CustomerHash1764950000000,
  Users1765100000000,
  EventAudit1765100000001,
  ProductCatalog1765100000002,
  EventTypeIndex1765300000000,
  SkuSalesDay1765400000000,
  CustomerOrders1765400000001,
  LineStockDeltas1765400000002,
  LineTypeIndex1765400000003,
  CustomerFirstOrders1765400000004,
  LastSaleIndex1765400000005,
];

/**
 * Connects to MySQL, creating the database when it is missing and running pending migrations
 * (under a named lock, so processes starting together do not race). Never `synchronize`.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  await createDatabaseIfMissing(options);
  const dataSource = newDataSource(options);
  try {
    await dataSource.initialize();
  } catch (error) {
    throw unavailable(options.url, error);
  }
  try {
    await migrateUnderLock(dataSource);
  } catch (error) {
    // A caller that retries (a process starting while MySQL is away) must not leak a pool per attempt.
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
  return dataSource;
}

/**
 * Connects to an existing database without changing it: no database is created and no migration
 * runs. Fails with one line when the database, or one of `tables`, is missing, so a mistyped
 * `DATABASE_URL` is reported as such instead of being read as an empty schema.
 */
export async function openExistingDatabase(options: DatabaseOptions, tables: readonly string[]): Promise<DataSource> {
  const dataSource = newDataSource(options, 2);
  try {
    await dataSource.initialize();
  } catch (error) {
    if ((error as { code?: string }).code === 'ER_BAD_DB_ERROR') {
      throw new DependencyUnavailableError(
        'mysql',
        `MySQL database '${options.name}' does not exist at ${redactUrl(options.url)}: check DATABASE_URL`,
      );
    }
    throw unavailable(options.url, error);
  }
  try {
    const found = await dataSource.query<{ name: string }[]>(
      `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()`,
    );
    const present = new Set(found.map((row) => row.name));
    const missing = tables.filter((table) => !present.has(table));
    if (missing.length > 0) {
      throw new DependencyUnavailableError(
        'mysql',
        `MySQL database '${options.name}' at ${redactUrl(options.url)} has no table ${missing.join(', ')}: ` +
          'check DATABASE_URL, or start a worker or the API once to run the migrations',
      );
    }
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
  return dataSource;
}

export interface DatabaseOptions {
  url: string;
  name: string;
  /** Absent: no TLS. */
  tls?: DatabaseTls;
}

/**
 * mysql2's TLS options for DATABASE_TLS: `required` encrypts and accepts any server certificate
 * (RDS with `require_secure_transport`, when the CA bundle is not at hand), `verify` also checks
 * the certificate against DATABASE_TLS_CA_FILE and the host name.
 */
export function mysqlTlsOptions(tls: DatabaseTls | undefined): SslOptions | undefined {
  switch (tls?.mode ?? 'off') {
    case 'off':
      return undefined;
    case 'required':
      return { rejectUnauthorized: false };
    case 'verify':
      return { rejectUnauthorized: true, ...(tls?.caFile ? { ca: readFileSync(tls.caFile, 'utf8') } : {}) };
  }
}

function newDataSource(options: DatabaseOptions, connectionLimit = 10): DataSource {
  return new DataSource({
    type: 'mysql',
    url: options.url,
    ssl: mysqlTlsOptions(options.tls),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    timezone: 'Z',
    charset: 'utf8mb4_bin',
    bigNumberStrings: true,
    supportBigNumbers: true,
    extra: { connectionLimit },
  });
}

/** Named locks are server-wide: the lock names the database (hashed, within the 64-character limit). */
const MIGRATION_LOCK = `CONCAT('stockwall_migrations_', MD5(DATABASE()))`;
const MIGRATION_LOCK_SECONDS = 60;

/** Runs pending migrations holding a named lock; another process migrating makes this one wait, never run alongside. */
async function migrateUnderLock(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    const [row] = (await runner.query(`SELECT GET_LOCK(${MIGRATION_LOCK}, ?) AS acquired`, [
      MIGRATION_LOCK_SECONDS,
    ])) as { acquired: number | string | null }[];
    if (Number(row?.acquired) !== 1) {
      throw new Error(
        `Migrations not run: another process has held this database's migration lock for ${MIGRATION_LOCK_SECONDS} s`,
      );
    }
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query(`SELECT RELEASE_LOCK(${MIGRATION_LOCK})`).catch(() => undefined);
    }
  } finally {
    await runner.release();
  }
}

async function createDatabaseIfMissing({ url, name, tls }: DatabaseOptions): Promise<void> {
  const serverUrl = new URL(url);
  serverUrl.pathname = '/';
  let connection;
  try {
    connection = await createConnection({
      uri: serverUrl.toString(),
      connectTimeout: 3_000,
      ssl: mysqlTlsOptions(tls),
    });
  } catch (error) {
    throw unavailable(url, error);
  }
  try {
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await connection.end();
  }
}

function unavailable(url: string, error: unknown): DependencyUnavailableError {
  const reason = (error as { code?: string }).code ?? (error as Error).message;
  return new DependencyUnavailableError(
    'mysql',
    `MySQL is not answering at ${redactUrl(url)} (${reason}): start MariaDB/MySQL or set DATABASE_URL`,
  );
}

import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { PersistBatchJob } from '@stockwall/contracts';
import { inventoryEventRow, openDatabase, PersistBatchWriter } from '@stockwall/persistence';
import { Infrastructure, openInfrastructure } from '@stockwall/platform';
import {
  bullConnection,
  closeWithConnection,
  createPersistQueue,
  enqueuePersistBatch,
} from '../../apps/worker/src/persist-queue';
import { PersistProcessor } from '../../apps/worker/src/persist.processor';
import { ApplyReceiptRepository } from '@stockwall/aggregation';
import { IngestMetrics } from '@stockwall/ingest';
import { applyLive } from '../../test/support/persist-jobs';
import { benchConfig, DATABASE_URL, sleep } from './bench-config';

export interface PersistRun {
  workers: number;
  concurrency: number;
  events: number;
  jobs: number;
  enqueueJobsPerSecond: number;
  seconds: number;
  eventsPerSecond: number;
  /** The limit: the same rows, into copies of the same tables on the same server, by bare multi-row INSERTs. */
  bulkEventsPerSecond: number;
  jobsPerSecond: number;
}

/**
 * Enqueues every job on a fresh queue and database, then starts the real PersistProcessor(s) and
 * times the drain until every shard's persisted position is its last batch's.
 */
export async function persistRun(
  kinesisEndpoint: string,
  jobs: PersistBatchJob[],
  workers: number,
  concurrency: number,
): Promise<PersistRun> {
  const database = `stockwall_bench_${randomBytes(3).toString('hex')}`;
  const config = benchConfig(kinesisEndpoint, database, { PERSIST_CONCURRENCY: String(concurrency) });
  const producer = await openInfrastructure(config);
  const queue = createPersistQueue(bullConnection(config.redis.url), config.queue.prefix);
  const consumers: { processor: PersistProcessor; infrastructure: Infrastructure }[] = [];
  try {
    // MySQL follows the live apply: every batch is applied first, as workers do before their jobs run.
    await applyLive(producer.redis, config.redis.prefix, ...jobs);
    let started = Date.now();
    for (let start = 0; start < jobs.length; start += 20) {
      await Promise.all(jobs.slice(start, start + 20).map((job) => enqueuePersistBatch(queue, job)));
    }
    const enqueueJobsPerSecond = jobs.length / ((Date.now() - started) / 1000);
    const lastByShard = new Map(jobs.map((job) => [job.shardId, job.last.sequenceNumber]));
    for (let index = 0; index < workers; index++) {
      const infrastructure = await openInfrastructure({
        ...config,
        worker: { ...config.worker, id: `bench-${index}` },
      });
      const receipts = new ApplyReceiptRepository(infrastructure.redis, config.redis.prefix);
      consumers.push({
        processor: new PersistProcessor(
          infrastructure.config,
          new PersistBatchWriter(infrastructure.dataSource),
          receipts,
          new IngestMetrics(),
        ),
        infrastructure,
      });
    }
    // Timed from the moment the processors start consuming (connections already open).
    started = Date.now();
    for (const { processor } of consumers) processor.onApplicationBootstrap();
    for (;;) {
      const rows = await producer.dataSource.query<{ shard_id: string; sequence_number: string | null }[]>(
        'SELECT shard_id, sequence_number FROM shard_positions',
      );
      if (
        [...lastByShard].every(([shard, last]) =>
          rows.some((row) => row.shard_id === shard && row.sequence_number === last),
        )
      ) {
        break;
      }
      await sleep(20);
    }
    const seconds = (Date.now() - started) / 1000;
    const events = jobs.reduce((sum, job) => sum + job.events.length, 0);
    await checkPersisted(producer, events);
    const bulkSeconds = await bulkInsertSeconds(config.database.url);
    return {
      workers,
      concurrency,
      events,
      jobs: jobs.length,
      enqueueJobsPerSecond,
      seconds,
      eventsPerSecond: events / seconds,
      bulkEventsPerSecond: events / bulkSeconds,
      jobsPerSecond: jobs.length / seconds,
    };
  } finally {
    for (const { processor, infrastructure } of consumers) {
      await processor.onApplicationShutdown();
      await infrastructure.close();
    }
    await queue.obliterate({ force: true });
    await closeWithConnection(queue);
    await producer.dataSource.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await producer.close();
  }
}

/**
 * Reads every row the persist run wrote (events, lines, rollups, stock levels, products, identities,
 * positions) and times writing them again, unchanged, into empty copies of the same tables
 * (CREATE TABLE … LIKE: same columns and indexes) with multi-row INSERTs of 1,000 rows, autocommit.
 * No idempotence, ordering, receipts or rollup arithmetic: the floor of writing those rows.
 */
async function bulkInsertSeconds(databaseUrl: string): Promise<number> {
  const connection = await createConnection({
    uri: databaseUrl,
    timezone: 'Z',
    rowsAsArray: true,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    // JSON columns (parsed by the driver) back to their text, so they are written back as they were read.
    typeCast: (_field, next) => {
      const value: unknown = next();
      return value !== null && typeof value === 'object' && !Buffer.isBuffer(value) ? JSON.stringify(value) : value;
    },
  });
  try {
    const [tables] = await connection.query(
      `SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'migrations'`,
    );
    const contents: { table: string; rows: unknown[][] }[] = [];
    for (const [table] of tables as [string][]) {
      const [rows] = await connection.query(`SELECT * FROM \`${table}\``);
      if ((rows as unknown[][]).length === 0) continue;
      await connection.query(`CREATE TABLE \`bulk_${table}\` LIKE \`${table}\``);
      contents.push({ table, rows: rows as unknown[][] });
    }
    const started = process.hrtime.bigint();
    for (const { table, rows } of contents) {
      for (let start = 0; start < rows.length; start += 1_000) {
        await connection.query(`INSERT INTO \`bulk_${table}\` VALUES ?`, [rows.slice(start, start + 1_000)]);
      }
    }
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    await connection.end();
  }
}

/** Every event once, and the minute rollups count exactly the stored events. */
async function checkPersisted(infrastructure: Infrastructure, expected: number): Promise<void> {
  const [{ stored }] = await infrastructure.dataSource.query<{ stored: string }[]>(
    'SELECT COUNT(*) AS stored FROM inventory_events',
  );
  const [{ counted }] = await infrastructure.dataSource.query<{ counted: string }[]>(
    'SELECT SUM(events) AS counted FROM kpi_minute',
  );
  const [{ lined }] = await infrastructure.dataSource.query<{ lined: string }[]>(
    'SELECT COUNT(DISTINCT event_id) AS lined FROM inventory_event_lines',
  );
  if (Number(stored) !== expected) throw new Error(`${stored} events stored, expected ${expected}`);
  if (Number(counted) !== Number(lined)) throw new Error(`kpi_minute counts ${counted} events, lines hold ${lined}`);
}

/**
 * The naive consumer: one INSERT statement per event, autocommit, on `connections` connections
 * (each inserting its own share in order), into the same inventory_events table on the same server.
 */
export async function perEventBaseline(jobs: PersistBatchJob[], limit: number, connections: number): Promise<number> {
  const database = `stockwall_bench_${randomBytes(3).toString('hex')}`;
  const url = new URL(DATABASE_URL);
  url.pathname = `/${database}`;
  const dataSource = await openDatabase({ url: url.toString(), name: database });
  await dataSource.destroy();
  const rows = jobs
    .flatMap((job) => job.events.map((item) => ({ job, item })))
    .slice(0, limit)
    .map(({ job, item }) => inventoryEventRow(job, item));
  const clients = await Promise.all(
    Array.from({ length: connections }, () => createConnection({ uri: url.toString(), timezone: 'Z' })),
  );
  try {
    const started = Date.now();
    await Promise.all(
      clients.map(async (client, index) => {
        for (let row = index; row < rows.length; row += connections) {
          await client.execute(
            `INSERT INTO inventory_events (event_id, event_type, stream_name, shard_id, sequence_number, sub_sequence,
               occurred_at, location, source, sku, order_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            rows[row],
          );
        }
      }),
    );
    return rows.length / ((Date.now() - started) / 1000);
  } finally {
    await clients[0].query(`DROP DATABASE IF EXISTS \`${database}\``);
    await Promise.all(clients.map((client) => client.end()));
  }
}

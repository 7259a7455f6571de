import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openDatabase, pruneEvents } from '@stockwall/persistence';

/**
 * event_identities on a real MariaDB: the migration backfills it from the stored events, and the
 * retention prune deletes events but never their ids.
 */
describe('event_identities: backfilled by its migration, kept by the prune', () => {
  const name = `stockwall_test_ids_${randomBytes(4).toString('hex')}`;
  const url = new URL(process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/stockwall');
  url.pathname = `/${name}`;
  let dataSource: DataSource;

  const insertEvent = (eventId: string, occurredAt: string) =>
    dataSource.query(
      `INSERT INTO inventory_events (event_id, event_type, stream_name, shard_id, sequence_number, sub_sequence,
         occurred_at, location, source, sku, order_id, payload)
       VALUES (?, 'quantity_changed', 's', 'shardId-000000000000', ?, 0, ?, 'main', 'test', 'A1', NULL, '{}')`,
      [eventId, String(Date.now()), new Date(occurredAt)],
    );
  const ids = async () =>
    (await dataSource.query<{ event_id: string }[]>('SELECT event_id FROM event_identities ORDER BY event_id')).map(
      (row) => row.event_id,
    );

  beforeAll(async () => {
    dataSource = await openDatabase({ url: url.toString(), name });
  });

  afterAll(async () => {
    await dataSource?.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await dataSource?.destroy();
  });

  it('the migration copies the id of every event already stored', async () => {
    // A database from before the migration: events stored, no event_identities.
    await insertEvent('old-1', '2024-01-01T10:00:00Z');
    await insertEvent('old-2', '2024-01-02T10:00:00Z');
    await dataSource.query('DROP TABLE event_identities');
    await dataSource.query(`DELETE FROM migrations WHERE name = 'EventIdentities1764700000000'`);
    await dataSource.destroy();
    dataSource = await openDatabase({ url: url.toString(), name });
    expect(await ids()).toEqual(['old-1', 'old-2']);
    const [row] = await dataSource.query('SELECT first_stored_at FROM event_identities LIMIT 1');
    expect(row.first_stored_at).toBeInstanceOf(Date);
  });

  it('the prune deletes old events and keeps every id', async () => {
    await insertEvent('new-1', '2024-03-01T10:00:00Z');
    await dataSource.query(`INSERT INTO event_identities (event_id, first_stored_at) VALUES ('new-1', NOW(3))`);
    const result = await pruneEvents(dataSource, 7, Date.now());
    expect(result.events).toBe(2);
    const [{ count }] = await dataSource.query('SELECT COUNT(*) AS count FROM inventory_events');
    expect(Number(count)).toBe(1);
    expect(await ids()).toEqual(['new-1', 'old-1', 'old-2']);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WireEvent } from '@stockwall/contracts';
import { listReplayFiles } from './replay-source';
import { CHECK_CHUNK, ReplayRun, runReplay } from './replay-runner';

describe(runReplay.name, () => {
  let directory: string;
  beforeAll(() => (directory = mkdtempSync(join(tmpdir(), 'replay-runner-'))));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('--retime: shifts every event time so that the last event happens when the replay starts', async () => {
    const file = join(directory, 'branches.csv');
    writeFileSync(
      file,
      [
        '01/09/2021 09:00,Leeds,Armando Farris,"Large Filter coffee - 1.80",1.8,CARD,8326919589358122',
        '03/09/2021 17:30,Leeds,Jessica Graves,"Large Chai latte - 2.60",2.6,CASH,',
      ].join('\n'),
    );
    const started = Date.parse('2024-06-01T12:00:00Z');
    const sent: WireEvent[] = [];
    await runReplay({
      files: [file],
      format: 'cafe',
      retime: true,
      now: () => started,
      publish: async (events) => {
        sent.push(...events);
      },
    });
    const times = sent.map((event) => event.occurred_at);
    expect(times[0]).toBe('2024-05-30T03:30:00.000Z');
    expect(times[times.length - 1]).toBe('2024-06-01T12:00:00.000Z');
    const added = sent.find((event) => event.event_type === 'product_added');
    expect(added && 'product' in added && added.product.timestamp).toBe('2024-05-30T03:30:00.000Z');
  });

  const write = (path: string, lines: string[]) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, lines.join('\n'));
    return path;
  };
  async function replay(files: string[], format: ReplayRun['format'], extra: Partial<ReplayRun> = {}) {
    const sent: WireEvent[] = [];
    const summary = await runReplay({
      files,
      format,
      publish: async (events) => {
        sent.push(...events);
      },
      ...extra,
    });
    const ids = (type: string) => sent.filter((event) => event.event_type === type).map((event) => event.event_id);
    return { sent, summary, ids };
  }
  const chesterfield = (minute: string, name: string, basket: string, total: string) =>
    `25/08/2021 09:${minute},Chesterfield,${name},"${basket}",${total},CARD,5494173772652516`;

  it('counts and lists a row whose quote is never closed, at its file and line, and replays the rows after it', async () => {
    const file = write(join(directory, 'unclosed', 'branch.csv'), [
      chesterfield('00', 'Ann Lee', 'Latte - 2.40', '2.4'),
      '25/08/2021 09:05,Chesterfield,Bo Chan,"Mocha - 2.90,2.9,CARD,5494173772652516',
      // No quote after the stray one, or CSV would pair them into one long field.
      '25/08/2021 09:10,Chesterfield,Cy Diaz,Tea - 1.50,1.5,CARD,5494173772652516',
      '25/08/2021 09:15,Chesterfield,Di Eng,Scone - 2.00,2.0,CARD,5494173772652516',
    ]);
    const { summary, sent } = await replay([file], 'cafe');
    expect(summary.rejected).toEqual({ unreadable: 1 });
    expect(summary.unreadable).toEqual([{ file, line: 2, problem: 'a quoted field is never closed' }]);
    const prices = sent.flatMap((event) =>
      event.event_type === 'order_placed' ? event.lines.map((line) => line.unit_price) : [],
    );
    expect(prices).toEqual(['2.40', '1.50', '2.00']);
  });

  it('café: two files with the same name in different folders are different sales, each with its own ids', async () => {
    const root = join(directory, 'same-name');
    const name = 'chesterfield_25-08-2021_09-00-00.csv';
    write(join(root, 'branches', name), [
      chesterfield('00', 'Brian Miner', 'Large Flat white - 2.45', '2.45'),
      chesterfield('02', 'Jeffrey Abshire', 'Regular Flavoured iced latte - Caramel - 2.75', '2.75'),
    ]);
    write(join(root, 'other', name), [
      chesterfield('00', 'Richard Copeland', 'Large Latte - 2.45', '2.45'),
      chesterfield('02', 'Scott Owens', 'Large Flavoured iced latte - Caramel - 3.25', '3.25'),
    ]);
    const { summary, ids } = await replay(listReplayFiles(root, 'cafe'), 'cafe');
    expect(new Set(ids('order_placed')).size).toBe(4);
    expect(new Set(ids('order_fulfilled')).size).toBe(4);
    expect(summary.eventsSent).toBe(4 * 2 + 4);
    expect(summary.repeated).toBe(0);
  });

  it('online retail: write-offs on the same line of two files with the same name get their own ids', async () => {
    const header = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
    const root = join(directory, 'same-name-retail');
    write(join(root, 'a', '2011-01-04.csv'), [header, '539991,22386,,-5,2011-01-04 10:00:00,0,,United Kingdom']);
    write(join(root, 'b', '2011-01-04.csv'), [header, '539992,21499,,-3,2011-01-04 11:00:00,0,,United Kingdom']);
    const { ids } = await replay(listReplayFiles(root, 'online-retail'), 'online-retail');
    expect(new Set(ids('quantity_changed')).size).toBe(2);
  });

  it('the same file read twice, or moved and renamed, gives the same ids; an inserted row changes no other id', async () => {
    const rows = [
      chesterfield('00', 'Brian Miner', 'Large Flat white - 2.45', '2.45'),
      chesterfield('02', 'Jeffrey Abshire', 'Regular Flavoured iced latte - Caramel - 2.75', '2.75'),
      chesterfield('02', 'Scott Owens', 'Regular Flavoured iced latte - Caramel - 2.75', '2.75'),
    ];
    const file = write(join(directory, 'twice', 'chesterfield.csv'), rows);
    const first = (await replay([file], 'cafe')).sent.map((event) => event.event_id);
    const again = (await replay([file], 'cafe')).sent.map((event) => event.event_id);
    const moved = write(join(directory, 'twice', 'archive', '2021', 'renamed.csv'), rows);
    const fromMoved = (await replay([moved], 'cafe')).sent.map((event) => event.event_id);
    expect(new Set(first).size).toBe(first.length);
    expect(again).toEqual(first);
    expect(fromMoved).toEqual(first);
    const edited = write(join(directory, 'twice', 'edited.csv'), [
      chesterfield('01', 'Alfred Sipes', 'Large Latte - 2.45', '2.45'),
      ...rows,
    ]);
    const fromEdited = (await replay([edited], 'cafe')).sent.map((event) => event.event_id);
    expect(fromEdited.filter((id) => !first.includes(id))).toEqual([
      'cafe-added-chesterfield-large-latte',
      expect.stringMatching(/^cafe-chesterfield-202108250901-[0-9a-f]{12}-placed$/),
      expect.stringMatching(/^cafe-chesterfield-202108250901-[0-9a-f]{12}-shipped$/),
    ]);
  });

  it('sends a row identical to one of an earlier file once and counts it as repeated', async () => {
    const row = chesterfield('00', 'Brian Miner', 'Large Flat white - 2.45', '2.45');
    const files = [write(join(directory, 'copies', 'a.csv'), [row]), write(join(directory, 'copies', 'b.csv'), [row])];
    const { summary, ids } = await replay(files, 'cafe');
    expect(ids('order_placed')).toHaveLength(1);
    expect(summary.repeated).toBe(2);
  });

  it('does not send what an earlier import stored, and asks about at most CHECK_CHUNK ids at a time', async () => {
    const rows = Array.from({ length: 3_000 }, (_, index) =>
      chesterfield(String(index % 60).padStart(2, '0'), 'N', 'Large Flat white - 2.45', '2.45'),
    );
    const file = write(join(directory, 'imported', 'big.csv'), rows);
    const first = await replay([file], 'cafe');
    const stored = new Set(first.sent.filter((_, index) => index % 3 === 0).map((event) => event.event_id ?? ''));
    const asked: number[] = [];
    const again = await replay([file], 'cafe', {
      alreadyImported: async (eventIds) => {
        asked.push(eventIds.length);
        return new Set(eventIds.filter((id) => stored.has(id)));
      },
    });
    expect(asked.reduce((sum, count) => sum + count, 0)).toBe(first.sent.length);
    expect(Math.max(...asked)).toBeLessThanOrEqual(CHECK_CHUNK);
    expect(again.summary.alreadyImported).toBe(stored.size);
    expect(again.summary.eventsSent).toBe(first.sent.length - stored.size);
    expect(again.sent.some((event) => stored.has(event.event_id ?? ''))).toBe(false);
  });
});

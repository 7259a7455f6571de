import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WireEvent } from '@stockwall/contracts';
import { runReplay } from './replay-runner';

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
});

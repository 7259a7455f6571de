import type { StockRow } from '@stockwall/contracts';
import { IDLE_DELTA_MS, MIN_FLUSH_INTERVAL_MS, StockDeltaCoalescer } from './stock-delta-coalescer';

function row(sku: string, onHand: number, location = 'main'): StockRow {
  return {
    sku,
    location,
    name: sku,
    onHand,
    committed: 0,
    available: onHand,
    unitCost: null,
    stockValue: null,
    reorderPoint: null,
    reorderPointSource: null,
    belowReorderPoint: false,
    active: true,
    lastEventAt: null,
  };
}

describe(StockDeltaCoalescer.name, () => {
  it('merges notices into one delta holding the latest state of each row and the whole version range', () => {
    const sut = new StockDeltaCoalescer(10);
    sut.accept(11, '2024-01-01T00:00:00.000Z', [row('A', 5), row('B', 1)]);
    sut.accept(12, '2024-01-01T00:00:01.000Z', [row('A', 4)]);
    sut.accept(13, null, [row('A', 3), row('C', 9)]);

    const delta = sut.flush(1_000);

    expect(delta).toMatchObject({ previousVersion: 10, version: 13, watermark: '2024-01-01T00:00:01.000Z' });
    expect(delta!.rows.map((changed) => [changed.sku, changed.onHand])).toEqual([
      ['A', 3],
      ['B', 1],
      ['C', 9],
    ]);
  });

  it('chains deltas: each starts where the previous one ended', () => {
    const sut = new StockDeltaCoalescer(0);
    sut.accept(1, null, [row('A', 1)]);
    const first = sut.flush(1_000)!;
    sut.accept(2, null, [row('A', 2)]);
    const second = sut.flush(1_250)!;

    expect(second.previousVersion).toBe(first.version);
    expect(sut.flush(1_500)).toBeNull();
  });

  it('holds memory to one entry per row however many changes arrive', () => {
    const sut = new StockDeltaCoalescer(0);
    for (let version = 1; version <= 10_000; version++) sut.accept(version, null, [row(`S${version % 50}`, version)]);

    expect(sut.pendingRows).toBe(50);
    expect(sut.flush(0)!.rows).toHaveLength(50);
  });

  it('keeps only the rows of its location but still advances the version for the others', () => {
    const sut = new StockDeltaCoalescer(5, 'north');
    sut.accept(6, null, [row('A', 1, 'north'), row('A', 2, 'south')]);

    expect(sut.flush(1_000)).toMatchObject({ previousVersion: 5, version: 6, rows: [row('A', 1, 'north')] });
  });

  it('says nothing while versions advance without its rows, then a version-only delta after a quiet spell', () => {
    const sut = new StockDeltaCoalescer(0, 'north');
    sut.accept(1, null, [row('A', 1, 'north')]);
    sut.flush(1_000);
    sut.accept(2, null, [row('A', 2, 'south')]);

    expect(sut.flush(1_250)).toBeNull();
    expect(sut.flush(1_000 + IDLE_DELTA_MS)).toMatchObject({ previousVersion: 1, version: 2, rows: [] });
  });

  it('ignores notices it already covers and starts a new sequence on reset', () => {
    const sut = new StockDeltaCoalescer(0);
    sut.accept(3, null, [row('A', 3)]);
    sut.accept(2, null, [row('A', 2)]);
    expect(sut.flush(0)!.rows[0].onHand).toBe(3);

    sut.accept(4, null, [row('A', 4)]);
    sut.reset(20);
    sut.accept(21, null, [row('B', 1)]);

    expect(sut.flush(10_000)).toMatchObject({ previousVersion: 20, version: 21, rows: [row('B', 1)] });
  });

  it('sends a lone change at once, then holds later ones until the interval has passed', () => {
    const sut = new StockDeltaCoalescer(0);
    sut.accept(1, null, [row('A', 1)]);
    expect(sut.dueAt()).toBeLessThanOrEqual(5_000);
    expect(sut.flush(5_000)).toMatchObject({ version: 1 });

    sut.accept(2, null, [row('A', 2)]);
    expect(sut.dueAt()).toBe(5_000 + MIN_FLUSH_INTERVAL_MS);
    expect(sut.flush(5_000 + MIN_FLUSH_INTERVAL_MS - 1)).toBeNull();
    expect(sut.flush(5_000 + MIN_FLUSH_INTERVAL_MS)).toMatchObject({ previousVersion: 1, version: 2 });
    expect(sut.dueAt()).toBeNull();
  });

  it('never sends more than 4 deltas in any second however often it is asked', () => {
    const sut = new StockDeltaCoalescer(0);
    const sentAt: number[] = [];
    for (let now = 0, version = 1; now < 10_000; now += 7, version++) {
      sut.accept(version, null, [row('A', version)]);
      if (sut.flush(now)) sentAt.push(now);
    }

    for (const start of sentAt)
      expect(sentAt.filter((at) => at >= start && at < start + 1_000).length).toBeLessThanOrEqual(4);
    expect(sentAt.length).toBeGreaterThanOrEqual(39);
  });
});

import { parseApplyReceipt } from './apply-receipt.repository';

describe(parseApplyReceipt.name, () => {
  it('reads the version, the start, the dropped events and each SKU state before the batch', () => {
    const sut = parseApplyReceipt(
      JSON.stringify({
        v: 42,
        after: ['4960', '3'],
        dropped: [{ eventId: 'e-1', reason: 'duplicate', detail: 'seen' }],
        pre: [
          ['A', 'main', '10', '2', '150', '', '', '1', 'Mug', '1700000000000'],
          ['B', 'north', false, false, false, false, false, false, false, false],
        ],
      }),
    );
    expect(sut).toEqual({
      version: 42,
      after: { sequenceNumber: '4960', subSequence: 3 },
      dropped: [{ eventId: 'e-1', reason: 'duplicate', detail: 'seen' }],
      before: [
        {
          sku: 'A',
          location: 'main',
          state: {
            onHand: 10,
            committed: 2,
            unitCostCents: 150,
            unitPriceCents: null,
            reorderPoint: null,
            active: true,
            name: 'Mug',
            lastEventAt: 1_700_000_000_000,
          },
        },
        { sku: 'B', location: 'north', state: null },
      ],
    });
  });

  it('reads a batch that changed no SKU (Lua encodes an empty table as an object) from the shard start', () => {
    expect(parseApplyReceipt('{"v":7,"after":["","0"],"dropped":[],"pre":{}}')).toEqual({
      version: 7,
      after: null,
      dropped: [],
      before: [],
    });
  });

  it('reads a discontinued SKU as inactive', () => {
    const [entry] = parseApplyReceipt(
      '{"v":1,"after":["","0"],"dropped":[],"pre":[["X","main","0","0","","","","0","",""]]}',
    ).before;
    expect(entry.state).toMatchObject({ onHand: 0, active: false, name: null, lastEventAt: null });
  });
});

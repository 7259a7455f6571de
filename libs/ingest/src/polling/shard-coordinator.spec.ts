import { parentEndPositions } from './shard-coordinator';

const at = (sequenceNumber: string) => ({ sequenceNumber, subSequence: 0 });

describe('parentEndPositions', () => {
  const positions = new Map([
    ['shardId-0', at('500')],
    ['shardId-1', at('900')],
    ['shardId-2', null],
  ]);
  const present = new Set(['shardId-0', 'shardId-1', 'shardId-2', 'shardId-3']);

  it('gives both parents of a merge with the positions they were read to', () => {
    expect(
      parentEndPositions({ ParentShardId: 'shardId-0', AdjacentParentShardId: 'shardId-1' }, present, positions),
    ).toEqual([
      { shardId: 'shardId-0', last: at('500') },
      { shardId: 'shardId-1', last: at('900') },
    ]);
  });

  it('leaves out a parent that held no record and one already gone from the stream', () => {
    expect(parentEndPositions({ ParentShardId: 'shardId-2' }, present, positions)).toEqual([]);
    expect(parentEndPositions({ ParentShardId: 'shardId-0' }, new Set(['shardId-3']), positions)).toEqual([]);
  });

  it('gives none for a shard that has no parent', () => {
    expect(parentEndPositions({}, present, positions)).toEqual([]);
  });
});

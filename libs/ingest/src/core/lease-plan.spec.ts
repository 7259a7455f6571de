import { LeaseRoundInput, planLeaseRound } from './lease-plan';

const shards = (count: number) => Array.from({ length: count }, (_, index) => `shard-${index}`);

function input(overrides: Partial<LeaseRoundInput> & { ownersList?: (string | null)[] }): LeaseRoundInput {
  const eligible = overrides.eligible ?? shards(8);
  const ownersList = overrides.ownersList ?? eligible.map(() => null);
  return {
    workerId: 'me',
    liveWorkers: 1,
    eligible,
    owners: new Map(eligible.map((shardId, index) => [shardId, ownersList[index] ?? null])),
    held: eligible.filter((_, index) => ownersList[index] === 'me'),
    random: () => 0.5,
    ...overrides,
  };
}

describe(planLeaseRound.name, () => {
  it('takes every free shard when it is the only worker', () => {
    const sut = planLeaseRound(input({}));
    expect(sut.acquire.sort()).toEqual(shards(8));
    expect(sut.claim).toBeNull();
  });

  it('takes at most the ceiling of its fair share of free shards', () => {
    const sut = planLeaseRound(input({ liveWorkers: 3 }));
    expect(sut.acquire).toHaveLength(3);
  });

  it('gives back what is over the ceiling when workers join', () => {
    const sut = planLeaseRound(input({ liveWorkers: 2, ownersList: shards(8).map(() => 'me') }));
    expect(sut.release).toHaveLength(4);
    expect(sut.acquire).toEqual([]);
  });

  it('claims one shard from the most loaded worker when under the floor and none is free', () => {
    const ownersList = ['a', 'a', 'a', 'a', 'a', 'b', 'b', 'b'];
    const sut = planLeaseRound(input({ liveWorkers: 3, ownersList }));
    expect(sut.acquire).toEqual([]);
    expect(sut.claim).toEqual({ shardId: expect.stringMatching(/^shard-[0-4]$/), from: 'a' });
  });

  it('never claims from a worker at the floor, so a balanced spread stays put', () => {
    const ownersList = ['a', 'a', 'a', 'b', 'b', 'b', 'me', 'me'];
    const sut = planLeaseRound(input({ liveWorkers: 3, ownersList }));
    expect(sut).toEqual({ release: [], acquire: [], claim: null });
  });

  it('prefers free shards to claims', () => {
    const ownersList = ['a', 'a', 'a', 'a', 'a', 'a', 'a', null];
    const sut = planLeaseRound(input({ liveWorkers: 2, ownersList }));
    expect(sut.acquire).toEqual(['shard-7']);
    expect(sut.claim).toEqual({ shardId: expect.any(String), from: 'a' });
  });

  it('reaches a spread of floor or ceiling for every worker when applied round by round', () => {
    const owners = new Map<string, string | null>(shards(8).map((shardId) => [shardId, 'w0']));
    const workers = ['w0', 'w1', 'w2'];
    for (let round = 0; round < 10; round++) {
      for (const workerId of workers) {
        const held = [...owners.entries()].filter(([, owner]) => owner === workerId).map(([shardId]) => shardId);
        const plan = planLeaseRound({
          workerId,
          liveWorkers: 3,
          eligible: shards(8),
          owners,
          held,
          random: () => 0.3,
        });
        for (const shardId of plan.release) owners.set(shardId, null);
        for (const shardId of plan.acquire) owners.set(shardId, workerId);
        // The owner hands a claimed shard over in its next round; here at once.
        if (plan.claim) owners.set(plan.claim.shardId, workerId);
      }
    }
    const counts = workers.map((workerId) => [...owners.values()].filter((owner) => owner === workerId).length);
    expect(counts.sort()).toEqual([2, 3, 3]);
  });

  it('ignores held shards that are no longer eligible when counting its share', () => {
    const sut = planLeaseRound(
      input({ liveWorkers: 1, eligible: shards(2), ownersList: [null, null], held: ['closed-parent'] }),
    );
    expect(sut.acquire.sort()).toEqual(shards(2));
  });
});

/** What one lease round should do, decided from a snapshot of who holds what. */
export interface LeaseRoundInput {
  workerId: string;
  liveWorkers: number;
  /** Shards that may be read now (open, parents finished). */
  eligible: readonly string[];
  /** Owner of each eligible shard's lease; null where it is free or expired. */
  owners: ReadonlyMap<string, string | null>;
  /** Shards this worker holds now. */
  held: readonly string[];
  /** Returns a number in [0, 1): spreads workers over free shards. */
  random: () => number;
}

export interface LeaseRoundPlan {
  release: string[];
  acquire: string[];
  /** Ask this shard's owner to hand it over (it finishes its batch in flight, then releases). */
  claim: { shardId: string; from: string } | null;
}

/**
 * Fair share by live worker count: each worker holds between floor(n / w) and ceil(n / w)
 * shards. Over the ceiling it gives shards back; under it takes free ones; still under the floor
 * with none free it claims one from the most loaded worker, but only one holding more than the
 * floor, so a claim never pushes anyone below it and shards never ping-pong.
 */
export function planLeaseRound(input: LeaseRoundInput): LeaseRoundPlan {
  const { workerId, eligible, owners, random } = input;
  const workers = Math.max(1, input.liveWorkers);
  const floor = Math.floor(eligible.length / workers);
  const ceiling = Math.ceil(eligible.length / workers);
  const eligibleSet = new Set(eligible);
  const held = input.held.filter((shardId) => eligibleSet.has(shardId));
  const plan: LeaseRoundPlan = { release: [], acquire: [], claim: null };
  if (held.length > ceiling) {
    plan.release = held.slice(ceiling);
    return plan;
  }
  const heldSet = new Set(input.held);
  const free = shuffle(
    eligible.filter((shardId) => !heldSet.has(shardId) && (owners.get(shardId) ?? null) === null),
    random,
  );
  plan.acquire = free.slice(0, ceiling - held.length);
  if (held.length + plan.acquire.length >= floor) return plan;

  const loads = new Map<string, string[]>();
  for (const shardId of eligible) {
    const owner = owners.get(shardId) ?? null;
    if (owner === null || owner === workerId) continue;
    loads.set(owner, [...(loads.get(owner) ?? []), shardId]);
  }
  let victim: { owner: string; shards: string[] } | null = null;
  for (const [owner, shards] of [...loads.entries()].sort(([left], [right]) => left.localeCompare(right))) {
    if (shards.length > floor && (!victim || shards.length > victim.shards.length)) victim = { owner, shards };
  }
  if (victim) {
    plan.claim = { shardId: victim.shards[Math.floor(random() * victim.shards.length)], from: victim.owner };
  }
  return plan;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}

import { KinesisClient, ListShardsCommand, Shard } from '@aws-sdk/client-kinesis';
import { Logger } from '@nestjs/common';
import type { ShardEndPosition, StreamPosition } from '@stockwall/contracts';
import type { HashKeyRange } from '../core/kpl-deaggregator';
import { planLeaseRound } from '../core/lease-plan';
import type { LeaseRepository } from '../leases/lease.repository';
import type { BatchHandler, CheckpointReader } from './shard-batch';
import { ShardPoller, type ShardReadOptions } from './shard-poller';
import { Signal } from './signal';

export interface ShardCoordinatorOptions extends ShardReadOptions {
  workerId: string;
  leaseTtlMs: number;
  /** Lease round interval: renewals, fair share, takeovers of expired leases. */
  leaseRenewMs: number;
}

const SHARD_LIST_REFRESH_MS = 10_000;

/**
 * Shares a stream's shards with the other workers through leases in Redis. Every round it
 * heartbeats, renews what it holds (handing over shards another worker claimed), and follows
 * the fair-share plan: give back what is over its share, take free or expired leases, claim
 * from the most loaded worker when under it. Lease notices (release, claim, join, shard end)
 * on a Redis channel start a round at once, so a stopping worker's shards move immediately.
 * Children of a split or merge wait until every parent still in the stream is read to its end.
 */
export class ShardCoordinator {
  private readonly logger = new Logger(ShardCoordinator.name);
  private readonly pollers = new Map<string, ShardPoller>();
  private readonly lettingGo = new Set<Promise<void>>();
  private readonly wake = new Signal();
  private shards: Shard[] = [];
  private shardsFetchedAt = 0;
  /** A ListShards in flight, beside the rounds (see eligibleShards). */
  private shardRefresh: Promise<void> | null = null;
  private roundRequested = false;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(
    private readonly client: KinesisClient,
    private readonly leases: LeaseRepository,
    private readonly checkpoints: CheckpointReader,
    private readonly handler: BatchHandler,
    private readonly options: ShardCoordinatorOptions,
  ) {}

  get heldShards(): string[] {
    return [...this.pollers.keys()];
  }

  async start(): Promise<void> {
    this.unsubscribe = await this.leases.subscribe((notice) => {
      if (notice === 'ended') this.shardsFetchedAt = 0;
      this.requestRound();
    });
    await this.round();
    await this.leases.notify('joined');
    this.loop = this.runRounds();
  }

  /** Leaves the worker set, finishes in-flight batches, releases every lease. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake.notify();
    await this.loop;
    await this.leases.leave(this.options.workerId).catch(() => undefined);
    for (const shardId of [...this.pollers.keys()]) this.letGo(shardId);
    await Promise.all([...this.lettingGo]);
    await this.unsubscribe?.();
  }

  private requestRound(): void {
    this.roundRequested = true;
    this.wake.notify();
  }

  private async runRounds(): Promise<void> {
    while (!this.stopped) {
      if (!this.roundRequested) await this.wake.wait(this.options.leaseRenewMs);
      this.roundRequested = false;
      if (this.stopped) return;
      await this.round().catch((error: Error) => this.logger.warn(`Lease round failed: ${error.message}`));
    }
  }

  private async round(): Promise<void> {
    const { workerId, leaseTtlMs, metrics } = this.options;
    const liveWorkers = await this.leases.heartbeat(workerId, leaseTtlMs);
    for (const [shardId, poller] of [...this.pollers]) {
      const renewal = await this.leases.renew(poller.lease, leaseTtlMs);
      if (renewal === 'lost') {
        this.logger.warn(`Lost the lease of ${shardId}`);
        this.pollers.delete(shardId);
        void poller.stop();
      } else if (renewal === 'claimed') {
        this.logger.log(`Handing ${shardId} over to a less loaded worker`);
        this.letGo(shardId, { drain: true });
      }
    }
    const eligible = await this.eligibleShards();
    const owners = await this.leases.owners(eligible.map((shard) => shard.shardId));
    const plan = planLeaseRound({
      workerId,
      liveWorkers,
      eligible: eligible.map((shard) => shard.shardId),
      owners,
      held: this.heldShards,
      random: Math.random,
    });
    for (const shardId of plan.release) this.letGo(shardId, { drain: true });
    for (const shardId of plan.acquire) {
      if (this.stopped) break;
      const lease = await this.leases.acquire(shardId, workerId, leaseTtlMs);
      if (!lease) continue;
      if (lease.epoch > 1) metrics.takeovers.inc();
      const shard = eligible.find((candidate) => candidate.shardId === shardId);
      this.run(
        new ShardPoller(this.client, this.checkpoints, this.handler, {
          ...this.options,
          shardId,
          lease,
          hashKeyRange: shard?.range ?? null,
          parents: shard?.parents ?? [],
        }),
      );
    }
    if (plan.claim) await this.leases.claim(plan.claim.shardId, plan.claim.from, workerId);
    metrics.leasesHeld.set(this.pollers.size);
  }

  private run(poller: ShardPoller): void {
    const shardId = poller.lease.shardId;
    this.pollers.set(shardId, poller);
    this.logger.log(`Reading ${shardId} (epoch ${poller.lease.epoch})`);
    poller
      .start()
      .then(async (exit) => {
        if (this.pollers.get(shardId) !== poller) return;
        this.pollers.delete(shardId);
        if (exit === 'lost') return;
        await this.leases.release(poller.lease);
        if (exit === 'ended') {
          this.logger.log(`${shardId} reached SHARD_END`);
          await this.leases.notify('ended');
        }
      })
      .catch((error: Error) => this.logger.error(`Poller of ${shardId} failed: ${error.message}`));
  }

  /** Stops the shard's poller after its batch in flight, then releases the lease (others are notified). */
  /**
   * Stops reading the shard and releases its lease. A shard handed to another worker (`drain`)
   * first applies the responses already read ahead, so the next owner does not read them again.
   */
  private letGo(shardId: string, options: { drain?: boolean } = {}): void {
    const poller = this.pollers.get(shardId);
    if (!poller) return;
    this.pollers.delete(shardId);
    const done = poller
      .stop(options)
      .then(() => this.leases.release(poller.lease))
      .catch((error: Error) => this.logger.warn(`Releasing ${shardId} failed: ${error.message}`))
      .finally(() => this.lettingGo.delete(done));
    this.lettingGo.add(done);
  }

  /**
   * Open shards whose parents (those still in the stream) are read to their end, each with those
   * parents' final positions (the MySQL writer persists a child after them).
   */
  private async eligibleShards(): Promise<
    { shardId: string; range: HashKeyRange | null; parents: ShardEndPosition[] }[]
  > {
    if (Date.now() - this.shardsFetchedAt > SHARD_LIST_REFRESH_MS) {
      // Only the first list is waited for. A round must never wait on Kinesis: its renewals would
      // wait too, and a ListShards slower than the lease TTL (an overloaded endpoint, throttling)
      // would cost the worker every lease it holds, round after round.
      if (this.shards.length === 0) await this.refreshShards();
      else void this.refreshShards();
    }
    const present = new Set(this.shards.map((shard) => shard.ShardId));
    const ended = new Map<string, boolean>();
    const positions = new Map<string, StreamPosition | null>();
    await Promise.all(
      this.shards.map(async (shard) => {
        const checkpoint = await this.checkpoints.readCheckpoint(this.options.streamName, shard.ShardId!);
        ended.set(shard.ShardId!, checkpoint.ended);
        positions.set(shard.ShardId!, checkpoint.position);
      }),
    );
    return this.shards
      .filter((shard) => !ended.get(shard.ShardId!))
      .filter((shard) =>
        [shard.ParentShardId, shard.AdjacentParentShardId].every(
          (parent) => !parent || !present.has(parent) || ended.get(parent),
        ),
      )
      .map((shard) => ({
        shardId: shard.ShardId!,
        range: shard.HashKeyRange
          ? { start: BigInt(shard.HashKeyRange.StartingHashKey!), end: BigInt(shard.HashKeyRange.EndingHashKey!) }
          : null,
        parents: parentEndPositions(shard, present, positions),
      }));
  }

  /** One ListShards at a time; when the list changes, a round follows it at once. */
  private refreshShards(): Promise<void> {
    this.shardRefresh ??= this.listAllShards()
      .then((shards) => {
        const changed = shardIds(shards) !== shardIds(this.shards);
        this.shards = shards;
        this.shardsFetchedAt = Date.now();
        if (changed && this.loop) this.requestRound();
      })
      .finally(() => {
        this.shardRefresh = null;
      });
    return this.shardRefresh.catch((error: Error) => {
      this.logger.warn(`Listing the stream's shards failed: ${error.message}`);
      if (this.shards.length === 0) throw error;
    });
  }

  /** ListShards, paged to the end. */
  private async listAllShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let nextToken: string | undefined;
    do {
      const response = await this.client.send(
        new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: this.options.streamName }),
      );
      shards.push(...(response.Shards ?? []));
      nextToken = response.NextToken;
    } while (nextToken);
    return shards;
  }
}

/**
 * A child shard's parents still in the stream, with the positions they were read to. A parent
 * that held no record has no position and nothing to wait for.
 */
export function parentEndPositions(
  shard: Pick<Shard, 'ParentShardId' | 'AdjacentParentShardId'>,
  present: ReadonlySet<string | undefined>,
  positions: ReadonlyMap<string, StreamPosition | null>,
): ShardEndPosition[] {
  return [shard.ParentShardId, shard.AdjacentParentShardId].flatMap((parent) => {
    const last = parent && present.has(parent) ? positions.get(parent) : null;
    return parent && last ? [{ shardId: parent, last }] : [];
  });
}

const shardIds = (shards: readonly Shard[]): string =>
  shards
    .map((shard) => shard.ShardId)
    .sort()
    .join();

import { KinesisClient, ListShardsCommand, Shard } from '@aws-sdk/client-kinesis';
import { Logger } from '@nestjs/common';
import type { LeaseRepository } from '../leases/lease.repository';
import type { BatchHandler, CheckpointReader } from './shard-batch';
import { ShardPoller } from './shard-poller';

export interface ShardCoordinatorOptions {
  streamName: string;
  workerId: string;
  leaseTtlMs: number;
  maxRecordsPerCall: number;
  idleWaitMs: number;
  maxEventBytes: number;
}

const SHARD_LIST_REFRESH_MS = 10_000;

/**
 * Shares a stream's shards with the other workers: heartbeats, takes free or expired leases up
 * to a fair share (shards / live workers), gives back what is over it, renews what it holds,
 * and runs one poller per held shard. Children of a split or merge wait until every parent
 * still in the stream has been read to its end.
 */
export class ShardCoordinator {
  private readonly logger = new Logger(ShardCoordinator.name);
  private readonly pollers = new Map<string, ShardPoller>();
  private shards: Shard[] = [];
  private shardsFetchedAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = false;

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
    await this.tick();
    this.schedule();
  }

  /** Finishes in-flight batches, releases every lease and leaves the worker set. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    await Promise.all([...this.pollers.keys()].map((shardId) => this.letGo(shardId)));
    await this.leases.leave(this.options.workerId);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(
      () => {
        this.ticking = this.tick()
          .catch((error: Error) => this.logger.warn(`Lease round failed: ${error.message}`))
          .finally(() => this.schedule());
      },
      Math.max(250, Math.floor(this.options.leaseTtlMs / 3)),
    );
  }

  private async tick(): Promise<void> {
    const { workerId, leaseTtlMs } = this.options;
    const liveWorkers = await this.leases.heartbeat(workerId, leaseTtlMs);
    for (const [shardId, poller] of this.pollers) {
      if (!(await this.leases.renew(poller.lease, leaseTtlMs))) {
        this.logger.warn(`Lost the lease of ${shardId}`);
        await this.letGo(shardId);
      }
    }
    const eligible = await this.eligibleShards();
    const fairShare = Math.ceil(eligible.length / Math.max(1, liveWorkers));
    const held = this.pollers.size;
    if (held > fairShare) {
      for (const shardId of [...this.pollers.keys()].slice(fairShare)) await this.letGo(shardId);
      return;
    }
    if (held === fairShare) return;
    const owners = await this.leases.owners(eligible);
    const free = eligible.filter((shardId) => owners.get(shardId) === null && !this.pollers.has(shardId));
    for (const shardId of shuffle(free).slice(0, fairShare - held)) {
      const lease = await this.leases.acquire(shardId, workerId, leaseTtlMs);
      if (lease)
        this.run(new ShardPoller(this.client, this.checkpoints, this.handler, { ...this.options, shardId, lease }));
    }
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
        if (exit === 'ended') {
          this.logger.log(`${shardId} reached SHARD_END`);
          this.shardsFetchedAt = 0;
        }
        if (exit !== 'lost') await this.leases.release(poller.lease);
      })
      .catch((error: Error) => this.logger.error(`Poller of ${shardId} failed: ${error.message}`));
  }

  private async letGo(shardId: string): Promise<void> {
    const poller = this.pollers.get(shardId);
    if (!poller) return;
    this.pollers.delete(shardId);
    await poller.stop();
    await this.leases.release(poller.lease);
  }

  /** Open shards whose parents (those still in the stream) are finished. */
  private async eligibleShards(): Promise<string[]> {
    if (Date.now() - this.shardsFetchedAt > SHARD_LIST_REFRESH_MS) {
      this.shards = await this.listAllShards();
      this.shardsFetchedAt = Date.now();
    }
    const present = new Set(this.shards.map((shard) => shard.ShardId));
    const ended = new Map<string, boolean>();
    for (const shard of this.shards) {
      ended.set(shard.ShardId!, (await this.checkpoints.readCheckpoint(this.options.streamName, shard.ShardId!)).ended);
    }
    return this.shards
      .filter((shard) => !ended.get(shard.ShardId!))
      .filter((shard) =>
        [shard.ParentShardId, shard.AdjacentParentShardId].every(
          (parent) => !parent || !present.has(parent) || ended.get(parent),
        ),
      )
      .map((shard) => shard.ShardId!);
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

function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}

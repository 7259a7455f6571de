import type { Redis } from 'ioredis';
import { RedisKeys } from '@stockwall/contracts';

export interface Lease {
  shardId: string;
  owner: string;
  epoch: number;
}

// KEYS: 1 lease, 2 epoch counter; ARGV: 1 owner, 2 ttl ms. Takes a free or expired lease; a new epoch each time.
const ACQUIRE = `
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner and owner ~= ARGV[1] then return false end
local epoch = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'epoch', epoch)
redis.call('HDEL', KEYS[1], 'claim')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return epoch`;

// KEYS: 1 lease; ARGV: 1 owner, 2 epoch, 3 ttl ms (0 = release).
// Returns 0 when the lease is lost, 1 when renewed, 2 when renewed but another worker claimed it.
const RENEW_OR_RELEASE = `
local lease = redis.call('HMGET', KEYS[1], 'owner', 'epoch', 'claim')
if lease[1] ~= ARGV[1] or lease[2] ~= ARGV[2] then return 0 end
if ARGV[3] == '0' then redis.call('DEL', KEYS[1]) return 1 end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if lease[3] then return 2 end
return 1`;

// KEYS: 1 lease; ARGV: 1 current owner, 2 claimant. Asks the owner to hand the shard over.
const CLAIM = `
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'claim', ARGV[2])
return 1`;

export type RenewOutcome = 'renewed' | 'claimed' | 'lost';

/** What a lease notice says; every coordinator runs a lease round at once on any of them. */
export type LeaseNotice = 'released' | 'claimed' | 'joined' | 'ended';

type LeaseCommand = (numberOfKeys: number, ...keysAndArgs: string[]) => Promise<number | null>;

/** Shard leases and worker liveness in Redis. A lease is a hash with a TTL; its epoch fences writes. */
export class LeaseRepository {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly streamName: string,
  ) {
    this.keys = new RedisKeys(prefix);
    if (!(redis as unknown as { stockwallAcquireLease?: unknown }).stockwallAcquireLease) {
      redis.defineCommand('stockwallAcquireLease', { lua: ACQUIRE });
      redis.defineCommand('stockwallRenewLease', { lua: RENEW_OR_RELEASE });
      redis.defineCommand('stockwallClaimLease', { lua: CLAIM });
    }
  }

  async acquire(shardId: string, owner: string, ttlMs: number): Promise<Lease | null> {
    const epoch = await this.command('stockwallAcquireLease')(
      2,
      this.keys.lease(this.streamName, shardId),
      this.keys.leaseEpoch(this.streamName, shardId),
      owner,
      String(ttlMs),
    );
    return epoch ? { shardId, owner, epoch: Number(epoch) } : null;
  }

  async renew(lease: Lease, ttlMs: number): Promise<RenewOutcome> {
    const result = await this.renewOrRelease(lease, ttlMs);
    return result === 2 ? 'claimed' : result === 1 ? 'renewed' : 'lost';
  }

  async release(lease: Lease): Promise<void> {
    if ((await this.renewOrRelease(lease, 0)) === 1) await this.notify('released');
  }

  /** Asks `owner` to hand `shardId` over; it does so in its next lease round. */
  async claim(shardId: string, owner: string, claimant: string): Promise<boolean> {
    const claimed = await this.command('stockwallClaimLease')(
      1,
      this.keys.lease(this.streamName, shardId),
      owner,
      claimant,
    );
    if (claimed === 1) await this.notify('claimed');
    return claimed === 1;
  }

  async notify(notice: LeaseNotice): Promise<void> {
    await this.redis.publish(this.channel, notice);
  }

  /** Calls `listener` on every lease notice of this stream; returns the unsubscribe. */
  async subscribe(listener: (notice: LeaseNotice) => void): Promise<() => Promise<void>> {
    const subscriber = this.redis.duplicate();
    subscriber.on('error', () => undefined);
    subscriber.on('message', (_channel: string, message: string) => listener(message as LeaseNotice));
    await subscriber.subscribe(this.channel);
    return async () => {
      await subscriber.quit().catch(() => subscriber.disconnect());
    };
  }

  private get channel(): string {
    return `${this.keys.prefix}lease-notices:${this.streamName}`;
  }

  /** Current owner of each shard's lease (null where free). */
  async owners(shardIds: string[]): Promise<Map<string, string | null>> {
    const pipeline = this.redis.pipeline();
    for (const shardId of shardIds) pipeline.hget(this.keys.lease(this.streamName, shardId), 'owner');
    const results = (await pipeline.exec()) ?? [];
    return new Map(shardIds.map((shardId, index) => [shardId, (results[index]?.[1] as string | null) ?? null]));
  }

  /** Records this worker as alive and returns how many workers are alive. */
  async heartbeat(workerId: string, ttlMs: number): Promise<number> {
    const now = Date.now();
    const key = this.keys.workers(this.streamName);
    const [, , count] = (await this.redis
      .multi()
      .zadd(key, now, workerId)
      .zremrangebyscore(key, '-inf', now - ttlMs)
      .zcard(key)
      .exec()) ?? [[null], [null], [null, 1]];
    return Number(count?.[1] ?? 1);
  }

  async leave(workerId: string): Promise<void> {
    await this.redis.zrem(this.keys.workers(this.streamName), workerId);
  }

  private renewOrRelease(lease: Lease, ttlMs: number): Promise<number | null> {
    return this.command('stockwallRenewLease')(
      1,
      this.keys.lease(this.streamName, lease.shardId),
      lease.owner,
      String(lease.epoch),
      String(ttlMs),
    );
  }

  private command(name: 'stockwallAcquireLease' | 'stockwallRenewLease' | 'stockwallClaimLease'): LeaseCommand {
    const redis = this.redis as unknown as Record<string, LeaseCommand>;
    return redis[name].bind(this.redis);
  }
}

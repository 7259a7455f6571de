import type { Shard } from '@aws-sdk/client-kinesis';
import { adjacentShardPair, hashKeyWidth } from '@stockwall/ingest';
import { DeadLetterStreamRepository } from '@stockwall/persistence';
import type { ChaosMonitor, Sample } from './chaos-monitor';
import type { ChaosSystem } from './chaos-system';
import type { LiveMirror } from './live-mirror';
import { poisonRecords } from './poison-records';
import type { SteadyProducer } from './steady-producer';

/** What a fault did, and when the system was back. */
export interface FaultRecord {
  name: string;
  /** Seconds after the producer started. */
  startedAtS: number;
  detail: string;
  /** What "recovered" means for this fault. */
  criterion: string;
  /** Milliseconds from `recoveryFrom` until the criterion held; null: not within the time allowed. */
  recoveryMs: number | null;
  /** What the recovery time is counted from. */
  recoveryFrom: string;
  /** Problems the fault itself found (a wrong exit code, state lost in a restart). */
  failures: string[];
}

/** A bad record put during the run, with where it landed, to find its dead letter. */
export interface PlacedPoison {
  marker: string;
  kind: string;
  reason: string;
  shardId: string;
  sequence: string;
}

export interface FaultContext {
  system: ChaosSystem;
  monitor: ChaosMonitor;
  producer: SteadyProducer;
  /** Socket clients per API process (same index as system.apis). */
  mirrors: LiveMirror[][];
  poison: PlacedPoison[];
  /** A real SKU of the replay, to key poison records with. */
  sampleSku: () => string;
  lagOkMs: number;
  recoveryTimeoutMs: number;
  /** When the producer started (epoch ms). */
  startedAt: number;
}

export interface FaultStep {
  /** Seconds after the producer starts. */
  at: number;
  name: string;
  run(context: FaultContext): Promise<FaultRecord>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const WORKER_RESTART_DELAY_MS = 1_000;
const API_RESTART_DELAY_MS = 1_000;

function caughtUp(sample: Sample, lagOkMs: number): boolean {
  return sample.lag !== null && sample.lag.unleased.length === 0 && sample.lag.liveMs < lagOkMs;
}

function seconds(context: FaultContext, at = Date.now()): number {
  return Math.round((at - context.startedAt) / 100) / 10;
}

async function recoveryAfter(
  context: FaultContext,
  from: number,
  check: (sample: Sample) => Promise<boolean> | boolean,
): Promise<number | null> {
  const at = await context.monitor.until(check, context.recoveryTimeoutMs);
  return at === null ? null : at - from;
}

/** SIGKILL or SIGTERM a worker, start a new instance of it a second later. */
export function killWorker(index: number, signal: 'SIGKILL' | 'SIGTERM'): Omit<FaultStep, 'at'> {
  return {
    name: `${signal} worker-${index + 1}`,
    async run(context) {
      const { system } = context;
      const worker = system.workers[index];
      const startedAtS = seconds(context);
      const victimId = system.workerId(worker);
      const shards = (await system.shards()).map((shard) => shard.ShardId!);
      const held = [...(await system.leaseOwners(shards))].filter(([, owner]) => owner === victimId).map(([id]) => id);
      const killedAt = Date.now();
      const exit = await worker.kill(signal);
      const failures: string[] = [];
      let detail = `held ${held.length} shard(s); exited in ${exit.ms} ms (${exit.signal ?? `code ${exit.code}`})`;
      if (signal === 'SIGTERM' && exit.code !== 0) {
        failures.push(`SIGTERM: worker exited with ${exit.signal ?? `code ${exit.code}`}, not code 0`);
      }
      if (signal === 'SIGTERM' && exit.ms > system.config.shutdownTimeoutMs) {
        failures.push(`SIGTERM: worker took ${exit.ms} ms to exit`);
      }
      await sleep(WORKER_RESTART_DELAY_MS);
      system.startWorker(worker);
      detail += `; restarted as ${system.workerId(worker)}`;
      const recoveryMs = await recoveryAfter(context, killedAt, async (sample) => {
        if (!caughtUp(sample, context.lagOkMs)) return false;
        const owners = await system.leaseOwners(held);
        const live = system.liveWorkerIds();
        for (const shard of held) {
          const owner = owners.get(shard);
          if (!(owner && live.has(owner)) && !(await system.checkpointEnded(shard))) return false;
        }
        return true;
      });
      return {
        name: this.name,
        startedAtS,
        detail,
        criterion: `its shards leased by live workers, live lag < ${context.lagOkMs / 1000} s`,
        recoveryMs,
        recoveryFrom: 'the signal',
        failures,
      };
    },
  };
}

/** SIGKILL an API process and start it again on the same port; its socket clients must come back. */
export function killApi(index: number): Omit<FaultStep, 'at'> {
  return {
    name: `SIGKILL api-${index + 1}`,
    async run(context) {
      const { system } = context;
      const api = system.apis[index];
      const startedAtS = seconds(context);
      const killedAt = Date.now();
      await api.process.kill('SIGKILL');
      await sleep(API_RESTART_DELAY_MS);
      api.process.start();
      const failures: string[] = [];
      try {
        await system.waitForApi(api);
      } catch (error) {
        failures.push((error as Error).message);
      }
      const answeredMs = Date.now() - killedAt;
      const versionAtRestart = (await system.version().catch(() => null)) ?? 0;
      const clients = context.mirrors[index];
      const recoveryMs = await recoveryAfter(context, killedAt, () =>
        clients.every((client) => client.connected && client.version !== null && client.version >= versionAtRestart),
      );
      return {
        name: this.name,
        startedAtS,
        detail: `restarted on the same port; answering ${answeredMs} ms after the kill; ${clients.length} socket clients`,
        criterion: 'its socket clients reconnected, resubscribed and at the version of the restart or later',
        recoveryMs,
        recoveryFrom: 'the kill',
        failures,
      };
    },
  };
}

/** Stop MariaDB for a while, then start it again with its data. */
export function stopMariaDb(downSeconds: number): Omit<FaultStep, 'at'> {
  return {
    name: `stop MariaDB ${downSeconds} s`,
    async run(context) {
      const { system } = context;
      const startedAtS = seconds(context);
      const stoppedAt = Date.now();
      await system.mariaDb.stopServer();
      system.dropMysql();
      await sleep(Math.max(0, downSeconds * 1_000 - (Date.now() - stoppedAt)));
      await system.mariaDb.startServer();
      const startedAt = Date.now();
      const recoveryMs = await recoveryAfter(
        context,
        startedAt,
        (sample) => sample.lag !== null && sample.lag.persistMs !== null && sample.lag.persistMs < context.lagOkMs,
      );
      return {
        name: this.name,
        startedAtS,
        detail: `down ${((startedAt - stoppedAt) / 1000).toFixed(1)} s (stop to answering again)`,
        criterion: `persist lag < ${context.lagOkMs / 1000} s (MySQL caught up)`,
        recoveryMs,
        recoveryFrom: 'MariaDB answering again',
        failures: [],
      };
    },
  };
}

/** SHUTDOWN Redis (the AOF is written) and start it again on the same port and directory. */
export function restartRedis(): Omit<FaultStep, 'at'> {
  return {
    name: 'restart Redis (AOF)',
    async run(context) {
      const { system } = context;
      const startedAtS = seconds(context);
      const before = await system.version();
      const stoppedAt = Date.now();
      await system.redis.shutdownServer();
      await system.redis.startServer();
      const downMs = Date.now() - stoppedAt;
      const after = await system.version();
      const failures =
        after < before ? [`Redis came back at live-state version ${after}, below ${before} before the SHUTDOWN`] : [];
      const recoveryMs = await recoveryAfter(
        context,
        stoppedAt,
        (sample) => caughtUp(sample, context.lagOkMs) && sample.version !== null && sample.version > after,
      );
      return {
        name: this.name,
        startedAtS,
        detail: `down ${downMs} ms; version ${before} before, ${after} after the restart`,
        criterion: `applying again, every shard leased, live lag < ${context.lagOkMs / 1000} s`,
        recoveryMs,
        recoveryFrom: 'the SHUTDOWN',
        failures,
      };
    },
  };
}

/** Split the open shard with the widest hash key range. */
export function splitShard(): Omit<FaultStep, 'at'> {
  return {
    name: 'split a shard',
    async run(context) {
      const { system } = context;
      const startedAtS = seconds(context);
      const open = await system.openShards();
      const parent = [...open].sort((left, right) => (hashKeyWidth(right) > hashKeyWidth(left) ? 1 : -1))[0];
      const at = Date.now();
      await system.split(parent);
      const children = await childrenOf(system, (shard) => shard.ParentShardId === parent.ShardId, 2);
      const recoveryMs = await recoveryAfter(context, at, (sample) =>
        reshardDone(system, sample, context.lagOkMs, [parent.ShardId!], children),
      );
      return {
        name: this.name,
        startedAtS,
        detail: `${parent.ShardId} → ${children.map((shard) => shard.ShardId).join(' + ')}`,
        criterion: 'parent read to SHARD_END, children leased, live lag < ' + `${context.lagOkMs / 1000} s`,
        recoveryMs,
        recoveryFrom: 'SplitShard',
        failures: children.length === 2 ? [] : [`SplitShard made ${children.length} children`],
      };
    },
  };
}

/** Merge two open shards whose hash key ranges touch. */
export function mergeShards(): Omit<FaultStep, 'at'> {
  return {
    name: 'merge two shards',
    async run(context) {
      const { system } = context;
      const startedAtS = seconds(context);
      const [left, right] = adjacentShardPair(await system.openShards());
      const at = Date.now();
      await system.merge(left, right);
      const children = await childrenOf(
        system,
        (shard) => shard.ParentShardId === left.ShardId && shard.AdjacentParentShardId === right.ShardId,
        1,
      );
      const recoveryMs = await recoveryAfter(context, at, (sample) =>
        reshardDone(system, sample, context.lagOkMs, [left.ShardId!, right.ShardId!], children),
      );
      return {
        name: this.name,
        startedAtS,
        detail: `${left.ShardId} + ${right.ShardId} → ${children.map((shard) => shard.ShardId).join(', ')}`,
        criterion: `both parents read to SHARD_END, child leased, live lag < ${context.lagOkMs / 1000} s`,
        recoveryMs,
        recoveryFrom: 'MergeShards',
        failures: children.length === 1 ? [] : [`MergeShards made ${children.length} children`],
      };
    },
  };
}

/** Throttle the workers' Kinesis reads through the fault proxy for a while. */
export function throttleKinesis(durationSeconds: number): Omit<FaultStep, 'at'> {
  return {
    name: `throttle Kinesis ${durationSeconds} s`,
    async run(context) {
      const { proxy } = context.system;
      const startedAtS = seconds(context);
      const before = { ...proxy.injected };
      proxy.setPlan({
        throttle: 0.5,
        limitExceeded: 0.1,
        expiredIterator: 0.03,
        serverError: 0.03,
        drop: 0.02,
        latencyMs: 20,
        operations: ['GetRecords', 'GetShardIterator'],
      });
      await sleep(durationSeconds * 1_000);
      proxy.setPlan({});
      const endedAt = Date.now();
      const injected = Object.entries(proxy.injected)
        .map(([fault, count]) => [fault, count - before[fault as keyof typeof before]] as const)
        .filter(([, count]) => count > 0);
      const recoveryMs = await recoveryAfter(context, endedAt, (sample) => caughtUp(sample, context.lagOkMs));
      const throttled = injected
        .filter(([fault]) => fault === 'throttle' || fault === 'limit_exceeded')
        .reduce((sum, [, count]) => sum + count, 0);
      return {
        name: this.name,
        startedAtS,
        detail: `GetRecords/GetShardIterator: ${injected.map(([fault, count]) => `${count} ${fault}`).join(', ') || 'nothing injected'}`,
        criterion: `live lag < ${context.lagOkMs / 1000} s`,
        recoveryMs,
        recoveryFrom: 'the end of throttling',
        failures: throttled > 0 ? [] : ['the proxy throttled no call'],
      };
    },
  };
}

/** Put poison and oversize records among the good ones. */
export function injectPoison(round: number): Omit<FaultStep, 'at'> {
  return {
    name: `poison + oversize records #${round}`,
    async run(context) {
      const { system, producer } = context;
      const startedAtS = seconds(context);
      const records = poisonRecords(round, context.sampleSku(), system.config.worker.maxEventBytes);
      const at = Date.now();
      const placed = await producer.putRaw(records.map(({ data, partitionKey }) => ({ data, partitionKey })));
      const mine = records.map((record, index) => ({
        marker: record.marker,
        kind: record.kind,
        reason: record.reason,
        shardId: placed[index].shardId,
        sequence: placed[index].sequence,
      }));
      context.poison.push(...mine);
      const recoveryMs = await recoveryAfter(
        context,
        at,
        async (sample) => caughtUp(sample, context.lagOkMs) && (await missingLiveDeadLetters(system, mine)) === 0,
      );
      return {
        name: this.name,
        startedAtS,
        detail: `${records.length} records: ${records.map((record) => record.kind).join(', ')}`,
        criterion: `each in the Redis dead-letter stream, live lag < ${context.lagOkMs / 1000} s`,
        recoveryMs,
        recoveryFrom: 'the PutRecords',
        failures: [],
      };
    },
  };
}

/** How many of these records have no entry in the Redis dead-letter stream. */
export async function missingLiveDeadLetters(system: ChaosSystem, placed: PlacedPoison[]): Promise<number> {
  const letters = await new DeadLetterStreamRepository(system.monitor, system.config.redis.prefix).newest(5_000);
  const seen = new Set(letters.map((letter) => `${letter.shardId}/${letter.sequenceNumber}`));
  return placed.filter((record) => !seen.has(`${record.shardId}/${record.sequence}`)).length;
}

/** The open shards a reshard made; the emulator may list them a moment after the call returns. */
async function childrenOf(system: ChaosSystem, isChild: (shard: Shard) => boolean, count: number): Promise<Shard[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const children = (await system.openShards()).filter(isChild);
    if (children.length >= count || Date.now() > deadline) return children;
    await sleep(200);
  }
}

async function reshardDone(
  system: ChaosSystem,
  sample: Sample,
  lagOkMs: number,
  parents: string[],
  children: Shard[],
): Promise<boolean> {
  if (!caughtUp(sample, lagOkMs)) return false;
  for (const parent of parents) if (!(await system.checkpointEnded(parent))) return false;
  const owners = await system.leaseOwners(children.map((shard) => shard.ShardId!));
  const live = system.liveWorkerIds();
  return [...owners.values()].every((owner) => owner !== null && live.has(owner));
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WireEvent } from '@stockwall/contracts';
import {
  checkEventsAndDeadLetters,
  checkReconcile,
  checkRecomputation,
  CheckResult,
  checkShardsAndProcesses,
  checkSocketClients,
  storedEventIds,
} from './chaos-checks';
import { FaultContext, FaultRecord, PlacedPoison } from './chaos-faults';
import { ChaosMonitor } from './chaos-monitor';
import { ChaosReport } from './chaos-report';
import { ChaosOptions, chaosScenario } from './chaos-scenario';
import { ChaosSystem } from './chaos-system';
import { chaosDatasets, loadChaosEvents } from './event-source';
import { ExpectedState } from './expected-state';
import { LiveMirror } from './live-mirror';
import { Lag, ShardProgress } from './shard-progress';
import { SteadyProducer } from './steady-producer';

const MIRRORS_PER_API = 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** mulberry32: the run's choices (aggregates, retries) repeat for a given seed. */
function seeded(seed: number): () => number {
  let state = seed | 0;
  return () => {
    let value = (state = (state + 0x6d2b79f5) | 0);
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The chaos run: real events at a steady rate onto a system of real processes on private services,
 * faults at their times, then quiescence and the end checks. Returns the report (never throws for a
 * failed check: a failure is in the report); the system is stopped whatever happens.
 */
export async function runChaos(options: ChaosOptions, log: (line: string) => void): Promise<ChaosReport> {
  const runStarted = Date.now();
  log(`chaos: converting real data (${options.datasetsDir})…`);
  const source = await loadChaosEvents(chaosDatasets(options.datasetsDir), options.events, Date.now());
  if (source.events.length < options.events) {
    log(`chaos: the data gave ${source.events.length} events, fewer than the ${options.events} asked for`);
  }
  log(
    `chaos: ${source.events.length} events (${Object.entries(source.perDataset)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ')})`,
  );

  const logDir = mkdtempSync(join(tmpdir(), 'stockwall-chaos-logs-'));
  log(`chaos: worker and API logs in ${logDir}`);
  const system = new ChaosSystem({
    shards: options.shards,
    workers: options.workers,
    apis: options.apis,
    log,
    logDir,
  });
  const mirrors: LiveMirror[][] = [];
  let monitor: ChaosMonitor | null = null;
  try {
    await system.start();
    const token = system.token();
    for (const api of system.apis) {
      mirrors.push(
        Array.from(
          { length: MIRRORS_PER_API },
          (_, client) => new LiveMirror(`client ${client + 1} of ${api.process.name}`, api.url, token),
        ),
      );
    }
    await waitForLeases(system, 60_000);
    log(`chaos: every shard leased; producing at ${options.rate} events/s`);

    const progress = new ShardProgress(system.streamName, system.config.redis.prefix);
    monitor = new ChaosMonitor(system, progress);
    monitor.start();
    const random = seeded(options.seed);
    const producer = new SteadyProducer(system.kinesis, system.streamName, progress, {
      rate: options.rate,
      aggregatedShare: 0.05,
      retryShare: 0.01,
      random,
    });
    const poison: PlacedPoison[] = [];
    const context: FaultContext = {
      system,
      monitor,
      producer,
      mirrors,
      poison,
      sampleSku: () => skuOf(producer.sent[producer.sent.length - 1] ?? source.events[0]),
      lagOkMs: options.lagOkMs,
      recoveryTimeoutMs: options.recoveryTimeoutMs,
      startedAt: Date.now(),
    };

    let lastLogged = 0;
    const producing = producer.run(source.events, (sent) => {
      if (Date.now() - lastLogged < 10_000) return;
      lastLogged = Date.now();
      const lag = monitor?.latest.lag;
      log(
        `chaos: ${((Date.now() - context.startedAt) / 1000).toFixed(0)} s: ${sent} sent; live lag ${lagText(lag?.liveMs)}` +
          `${lag?.slowestShard ? ` (${lag.slowestShard})` : ''}, persist lag ${lagText(lag?.persistMs)}` +
          `${lag?.slowestPersistShard ? ` (${lag.slowestPersistShard})` : ''}`,
      );
    });
    context.startedAt = Date.now();
    const faults = chaosScenario(options).map(async (step): Promise<FaultRecord> => {
      await sleep(Math.max(0, context.startedAt + step.at * 1_000 - Date.now()));
      log(`chaos: ${step.at.toFixed(1)} s: ${step.name}`);
      try {
        const record = await step.run(context);
        log(
          `chaos: ${step.name}: ${record.detail}; ${
            record.recoveryMs === null ? 'NOT recovered' : `recovered in ${(record.recoveryMs / 1000).toFixed(1)} s`
          }`,
        );
        return record;
      } catch (error) {
        return {
          name: step.name,
          startedAtS: step.at,
          detail: 'the fault could not be carried out',
          criterion: '—',
          recoveryMs: null,
          recoveryFrom: '—',
          failures: [(error as Error).message],
        };
      }
    });
    await producing;
    const producedAt = Date.now();
    const producerSeconds = (producedAt - producer.stats.startedAt) / 1000;
    log(`chaos: all ${producer.stats.eventsSent} events sent in ${producerSeconds.toFixed(1)} s; waiting for faults`);
    const faultRecords = await Promise.all(faults);

    log('chaos: waiting until every record is applied and persisted…');
    const caughtUpAt = await monitor.until(
      (sample) =>
        sample.lag !== null &&
        sample.lag.liveMs === 0 &&
        sample.lag.persistMs === 0 &&
        sample.lag.unleased.length === 0,
      options.quiesceTimeoutMs,
    );
    const quiesceSeconds = caughtUpAt === null ? null : (caughtUpAt - producedAt) / 1000;

    // On several shards the order of effects is the order the batches were applied in (docs/aggregation.md,
    // "One order across shards"), not the order sent: the sent events are folded in the apply order MySQL
    // recorded for each id. Lost events (not stored) come last, in send order; the zero-lost check names them.
    const applyOrder = await storedApplyOrder(system);
    const rank = (event: (typeof producer.sent)[number]) => applyOrder.get(event.event_id ?? '') ?? Number.MAX_VALUE;
    const expected = new ExpectedState();
    for (const event of producer.sent
      .map((event, index) => ({ event, index }))
      .sort((left, right) => rank(left.event) - rank(right.event) || left.index - right.index)) {
      expected.add(event.event);
    }
    log('chaos: end checks…');
    const checks: CheckResult[] = [];
    checks.push({
      name: 'every record applied and persisted',
      passed: quiesceSeconds !== null,
      summary:
        quiesceSeconds === null
          ? `not within ${options.quiesceTimeoutMs / 1000} s of the last event: ${describeLag(monitor.latest.lag)}`
          : `${quiesceSeconds.toFixed(1)} s after the last event`,
      details: [],
    });
    checks.push({
      name: 'the sent events have distinct ids',
      passed: expected.conflictingIds.length === 0,
      summary:
        expected.conflictingIds.length === 0
          ? `${expected.eventCount} distinct event ids`
          : `${expected.conflictingIds.length} ids name two different events`,
      details: expected.conflictingIds.slice(0, 12),
    });
    const guarded = async (name: string, run: () => Promise<CheckResult | CheckResult[]>) => {
      try {
        const outcome = await run();
        checks.push(...(Array.isArray(outcome) ? outcome : [outcome]));
      } catch (error) {
        checks.push({ name, passed: false, summary: `could not be checked: ${(error as Error).message}`, details: [] });
      }
    };
    await guarded('reconcile (Redis = MySQL)', () => checkReconcile(system, 30));
    await guarded('recomputation', () =>
      checkRecomputation(system, expected, async () => {
        const stored = await storedEventIds(system);
        const reduced = new ExpectedState();
        let lost = 0;
        for (const event of producer.sent) {
          if (stored.has(event.event_id ?? '')) reduced.add(event);
          else lost++;
        }
        return { lost, expected: reduced };
      }),
    );
    await guarded('events and dead letters', () =>
      checkEventsAndDeadLetters(system, expected, poison, producer.aggregatedIds),
    );
    await guarded('socket clients on the final state', () => checkSocketClients(system, mirrors.flat(), 60_000));
    await guarded('closed shards at SHARD_END, all processes up', () => checkShardsAndProcesses(system));

    return {
      logDir,
      events: {
        sent: producer.stats.eventsSent,
        retries: producer.stats.retriesSent + producer.stats.aggregateResends,
        aggregated: producer.stats.aggregatedEvents,
        aggregates: producer.stats.aggregatesSent,
        perDataset: source.perDataset,
      },
      producerSeconds,
      achievedRate: producer.stats.eventsSent / producerSeconds,
      quiesceSeconds,
      totalSeconds: (Date.now() - runStarted) / 1000,
      maxLiveLagMs: monitor.maxLiveLagMs,
      maxPersistLagMs: monitor.maxPersistLagMs,
      faults: faultRecords,
      checks,
    };
  } finally {
    monitor?.stop();
    for (const mirror of mirrors.flat()) mirror.close();
    log('chaos: stopping the system…');
    await system.stop();
  }
}

async function waitForLeases(system: ChaosSystem, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const shards = (await system.openShards()).map((shard) => shard.ShardId!);
    const owners = await system.leaseOwners(shards);
    const live = system.liveWorkerIds();
    if ([...owners.values()].every((owner) => owner !== null && live.has(owner))) return;
    if (Date.now() > deadline) {
      const tails = system.workers.map((worker) => `${worker.name}:\n${worker.tail(10)}`).join('\n');
      throw new Error(`the shards were not all leased within ${timeoutMs / 1000} s\n${tails}`);
    }
    await sleep(250);
  }
}

function describeLag(lag: Lag | null): string {
  if (!lag) return 'Redis did not answer';
  const where = (shard: string | null) => (shard ? ` (${shard})` : '');
  return (
    `live lag ${lagText(lag.liveMs)}${where(lag.slowestShard)}, ` +
    `persist lag ${lagText(lag.persistMs)}${where(lag.slowestPersistShard)}, unleased ${lag.unleased.join(' ') || 'none'}`
  );
}

function lagText(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? 'unknown' : `${(ms / 1000).toFixed(1)} s`;
}

function skuOf(event: WireEvent): string {
  if ('product' in event) return event.product.product_id;
  if ('lines' in event) return event.lines[0]?.sku ?? 'chaos';
  return event.sku;
}

/**
 * Each stored event id's place in the apply order: by the version of the batch that applied it, then
 * by insert order (stream order within a batch). Events stored before versions were kept rank first.
 */
async function storedApplyOrder(system: ChaosSystem): Promise<Map<string, number>> {
  const mysql = await system.mysqlConnection();
  if (!mysql) return new Map();
  const [rows] = await mysql.query(
    'SELECT event_id FROM inventory_events ORDER BY apply_version IS NOT NULL, apply_version, id',
  );
  return new Map((rows as { event_id: string }[]).map((row, index) => [row.event_id, index]));
}

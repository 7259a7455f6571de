import { formatReport } from '../apps/cli/src/chaos/chaos-report';
import { runChaos } from '../apps/cli/src/chaos/chaos-runner';
import { QUICK_DEFAULTS } from '../apps/cli/src/chaos/chaos-scenario';
import { DATASETS_DIR } from './support/datasets';

/**
 * The short chaos run (`npm run chaos -- --quick`): 20,000 real events at a steady rate onto 4 shards
 * read by 3 worker processes, 2 API processes with socket clients, private Redis (AOF) and MariaDB.
 * Faults: throttling, a worker SIGKILL, poison and oversize records, a split, MariaDB down 10 s and a
 * Redis restart. Every end check of the full run must pass and every fault must be recovered from.
 */
describe('Chaos (quick): real events through faults end exactly once everywhere', () => {
  it('ends with reconcile clean, the recomputation equal, nothing lost or doubled, clients on the final state', async () => {
    const report = await runChaos(
      {
        ...QUICK_DEFAULTS,
        seed: 7,
        quick: true,
        lagOkMs: 5_000,
        // Bounded so that a run that cannot recover fails within the test's time instead of hanging.
        recoveryTimeoutMs: 120_000,
        quiesceTimeoutMs: 60_000,
        datasetsDir: DATASETS_DIR,
      },
      () => undefined,
    );
    console.log(formatReport(report));

    expect(report.events.sent).toBe(QUICK_DEFAULTS.events);
    expect(report.faults.map((fault) => fault.name)).toEqual([
      'throttle Kinesis 5 s',
      'SIGKILL worker-1',
      'poison + oversize records #1',
      'split a shard',
      'stop MariaDB 10 s',
      'restart Redis (AOF)',
    ]);
    const unrecovered = report.faults
      .filter((fault) => fault.failures.length > 0 || fault.recoveryMs === null)
      .map((fault) => ({ fault: fault.name, failures: fault.failures, recoveryMs: fault.recoveryMs }));
    expect(unrecovered).toEqual([]);
    const failed = report.checks
      .filter((check) => !check.passed)
      .map((check) => ({ check: check.name, summary: check.summary, details: check.details }));
    expect(failed).toEqual([]);
    expect(report.checks.map((check) => check.name)).toEqual([
      'every record applied and persisted',
      'the sent events have distinct ids',
      'reconcile (Redis = MySQL)',
      'recomputation = Redis stock',
      'recomputation = MySQL stock',
      'recomputation = live windows (1h, 24h) and watermark',
      'zero lost (every sent event id in MySQL)',
      'zero double counted (each id once in MySQL)',
      'poison and oversize records dead-lettered',
      'socket clients on the final state',
      'closed shards at SHARD_END, all processes up',
    ]);
  }, 600_000);
});

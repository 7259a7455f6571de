/**
 * Every benchmark of the suite, with the arguments of a full run and of a quick one (`--quick`,
 * the whole suite within 3 minutes on a 2-core machine). Each runs in its own process.
 */
export interface SuiteEntry {
  name: string;
  script: string;
  what: string;
  full: string[];
  quick: string[];
}

export const SUITE: SuiteEntry[] = [
  {
    name: 'ingest',
    script: 'bench/ingest/ingest.bench.ts',
    what: 'drain into Redis against the raw GetRecords rate (8 shards, 2 workers with MySQL jobs), failover after SIGKILL',
    full: ['--events', '1000000', '--shards', '8', '--failover-rounds', '3'],
    quick: ['--events', '60000', '--shards', '8', '--failover-rounds', '1', '--plan', '2:ingest,jobs'],
  },
  {
    name: 'consumer',
    script: 'bench/ingest/lifion-comparison.bench.ts',
    what: 'the drain against lifion-kinesis (dynalite leases, one Redis INCR per record), and SIGKILL mid-drain: lost and doubled',
    full: ['--events', '200000', '--skus', '500'],
    quick: ['--events', '20000', '--skus', '200'],
  },
  {
    name: 'aggregation',
    script: 'bench/aggregation/aggregation.bench.ts',
    what: 'the atomic apply against pipelined writes of the same fields and one round trip per event',
    full: ['--events', '200000', '--skus', '100000'],
    quick: ['--events', '40000', '--skus', '10000'],
  },
  {
    name: 'persist',
    script: 'bench/history/history.bench.ts',
    what: 'persist jobs into MySQL against a bare multi-row INSERT of the same rows',
    full: ['--part', 'persist', '--events', '200000', '--baseline-events', '50000'],
    quick: ['--part', 'persist', '--events', '20000', '--baseline-events', '1500', '--plans', '1x1'],
  },
  {
    name: 'live',
    script: 'bench/live/live.bench.ts',
    what: 'put → socket client at 2,000 events/s against put → Redis, and fan-out',
    full: ['--rate', '2000', '--seconds', '20', '--clients', '10000'],
    quick: ['--rate', '2000', '--seconds', '8', '--clients', '200'],
  },
];

import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The consumer's Prometheus metrics. Per-shard series are removed when the worker lets a shard go. */
export class IngestMetrics {
  readonly records: Counter<'shard'>;
  readonly bytes: Counter<'shard'>;
  readonly millisBehindLatest: Gauge<'shard'>;
  readonly leasesHeld: Gauge;
  readonly takeovers: Counter;
  readonly throttles: Counter<'shard'>;
  readonly getRecordsErrors: Counter<'kind'>;
  readonly deadLetters: Counter<'reason'>;
  readonly duplicatesDropped: Counter;
  readonly applyDuration: Histogram<'outcome'>;
  readonly kplUserRecords: Counter<'stream'>;
  readonly kplOutsideRange: Counter<'stream'>;
  readonly lastApply: Gauge;
  readonly eventsApplied: Counter;
  /** When this process last applied a batch (epoch ms), or null before its first. */
  lastAppliedAt: number | null = null;

  constructor(readonly registry: Registry = new Registry()) {
    const registers = [registry];
    this.records = new Counter({
      name: 'stockwall_ingest_records_total',
      help: 'User records read (after de-aggregation), by shard',
      labelNames: ['shard'],
      registers,
    });
    this.bytes = new Counter({
      name: 'stockwall_ingest_bytes_total',
      help: 'Kinesis record bytes read, by shard',
      labelNames: ['shard'],
      registers,
    });
    this.millisBehindLatest = new Gauge({
      name: 'stockwall_ingest_millis_behind_latest',
      help: 'MillisBehindLatest of the last GetRecords, by shard',
      labelNames: ['shard'],
      registers,
    });
    this.leasesHeld = new Gauge({ name: 'stockwall_ingest_leases_held', help: 'Shard leases held', registers });
    this.takeovers = new Counter({
      name: 'stockwall_ingest_lease_takeovers_total',
      help: 'Leases acquired that another worker held before (new fencing epoch)',
      registers,
    });
    this.throttles = new Counter({
      name: 'stockwall_ingest_throttles_total',
      help: 'GetRecords calls refused with ProvisionedThroughputExceeded or LimitExceeded',
      labelNames: ['shard'],
      registers,
    });
    this.getRecordsErrors = new Counter({
      name: 'stockwall_ingest_get_records_errors_total',
      help: 'Failed GetRecords calls by kind (throttled, expired_iterator, other)',
      labelNames: ['kind'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'stockwall_ingest_dead_letters_total',
      help: 'Records dead-lettered, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.duplicatesDropped = new Counter({
      name: 'stockwall_ingest_duplicates_dropped_total',
      help: 'Producer-retry duplicates (repeated event_id) dropped inside the dedupe window',
      registers,
    });
    this.applyDuration = new Histogram({
      name: 'stockwall_ingest_apply_duration_seconds',
      help: 'Time of the atomic Redis apply of one batch, by outcome',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    this.kplUserRecords = new Counter({
      name: 'stockwall_kpl_user_records_total',
      help: 'User records unpacked from KPL aggregates, by stream',
      labelNames: ['stream'],
      registers,
    });
    this.kplOutsideRange = new Counter({
      name: 'stockwall_kpl_records_out_of_range_total',
      help: 'KPL user records whose hash key lies outside the shard that carried them (applied by that shard), by stream',
      labelNames: ['stream'],
      registers,
    });
    this.lastApply = new Gauge({
      name: 'stockwall_ingest_last_apply_timestamp_seconds',
      help: 'When this worker last applied a batch to Redis (Unix time)',
      registers,
    });
    this.eventsApplied = new Counter({
      name: 'stockwall_ingest_events_applied_total',
      help: 'Events in the batches this worker applied to Redis',
      registers,
    });
  }

  /** Called for each batch applied to Redis (not for duplicates or fenced batches). */
  noteApplied(events: number, now = Date.now()): void {
    this.lastAppliedAt = now;
    this.lastApply.set(now / 1_000);
    this.eventsApplied.inc(events);
  }

  /** The largest MillisBehindLatest of the shards this worker reads (0 when none). */
  async maxMillisBehindLatest(): Promise<number> {
    const { values } = await this.millisBehindLatest.get();
    return values.reduce((max, sample) => Math.max(max, sample.value), 0);
  }

  forgetShard(shardId: string): void {
    for (const metric of [this.millisBehindLatest]) metric.remove({ shard: shardId });
  }
}

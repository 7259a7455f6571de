import { APPLY_STALL_SECONDS, PERSIST_LAG_DEGRADED_SECONDS, WorkerState, workerReadiness } from './worker-readiness';

const healthy = (overrides: Partial<WorkerState> = {}): WorkerState => ({
  roles: new Set(['ingest', 'jobs']),
  redisAnswers: true,
  mysql: 'ready',
  leasesHeld: 2,
  lastApplyAgeSeconds: 0.4,
  millisBehindLatest: 0,
  persistLag: { events: 12, batches: 1, oldestSeconds: 0.2 },
  ...overrides,
});

describe(workerReadiness.name, () => {
  it('is ok and reports leases, the last apply and the persist lag', () => {
    const sut = workerReadiness(healthy());

    expect(sut).toMatchObject({ status: 'ok', httpStatus: 200, problems: [] });
    expect(sut.checks).toMatchObject({
      leasesHeld: 2,
      lastApplyAgeSeconds: 0.4,
      persistLag: { events: 12, batches: 1, seconds: 0.2 },
    });
  });

  it('is down without Redis', () => {
    expect(workerReadiness(healthy({ redisAnswers: false }))).toMatchObject({
      status: 'down',
      httpStatus: 503,
      problems: ['Redis is not answering'],
    });
  });

  it('is down when it holds shards with records to read and has stopped applying', () => {
    const stalled = healthy({ millisBehindLatest: 90_000, lastApplyAgeSeconds: APPLY_STALL_SECONDS + 1 });
    expect(workerReadiness(stalled)).toMatchObject({ status: 'down', httpStatus: 503 });
    expect(workerReadiness(stalled).problems[0]).toMatch(/holds 2 shard\(s\) 90 s behind and has applied nothing/);
  });

  it('is ok when idle: nothing to read, or no shard held', () => {
    expect(workerReadiness(healthy({ lastApplyAgeSeconds: 3_600 })).status).toBe('ok');
    expect(workerReadiness(healthy({ leasesHeld: 0, millisBehindLatest: 0, lastApplyAgeSeconds: 3_600 })).status).toBe(
      'ok',
    );
  });

  it('is degraded, still 200, without MySQL or when MySQL is far behind', () => {
    expect(workerReadiness(healthy({ mysql: 'connecting' }))).toMatchObject({
      status: 'degraded',
      httpStatus: 200,
      problems: ['MySQL is connecting'],
    });
    const behind = healthy({ persistLag: { events: 9, batches: 3, oldestSeconds: PERSIST_LAG_DEGRADED_SECONDS + 5 } });
    expect(workerReadiness(behind)).toMatchObject({ status: 'degraded', problems: ['MySQL is 305 s behind Redis'] });
  });

  it('does not ask an ingest-only worker for MySQL, nor a jobs-only worker for leases', () => {
    expect(workerReadiness(healthy({ roles: new Set(['ingest']), mysql: 'unused' })).status).toBe('ok');
    const jobsOnly = workerReadiness(healthy({ roles: new Set(['jobs']), leasesHeld: 0 }));
    expect(jobsOnly.status).toBe('ok');
    expect(jobsOnly.checks).not.toHaveProperty('leasesHeld');
  });
});

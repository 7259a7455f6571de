import { persistBatchJobId } from './persist-batch.job';

describe(persistBatchJobId.name, () => {
  const job = { streamName: 's', shardId: 'shardId-000000000001', last: { sequenceNumber: '900', subSequence: 2 } };

  it('names two batches ending at the same record but starting apart differently', () => {
    const first = persistBatchJobId({ ...job, after: null });
    const second = persistBatchJobId({ ...job, after: { sequenceNumber: '500', subSequence: 0 } });
    expect(first).toBe('s|shardId-000000000001|start|900.2');
    expect(second).toBe('s|shardId-000000000001|500.0|900.2');
  });

  it('has no colon, which BullMQ refuses in job ids', () => {
    expect(persistBatchJobId({ ...job, after: { sequenceNumber: '1', subSequence: 0 } })).not.toContain(':');
  });
});

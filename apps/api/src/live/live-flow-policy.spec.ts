import {
  admitConnection,
  admitTransport,
  backpressureAction,
  LiveFlowLimits,
  transportHeadroom,
} from './live-flow-policy';

const limits: LiveFlowLimits = {
  maxQueuedPackets: 64,
  maxQueuedBytes: 1_048_576,
  maxConnections: 2,
  retryAfterMs: 1_000,
};

describe(backpressureAction.name, () => {
  it('pauses a socket whose queue passes either limit', () => {
    expect(backpressureAction(limits, false, 65, 0)).toBe('pause');
    expect(backpressureAction(limits, false, 1, 1_048_577)).toBe('pause');
    expect(backpressureAction(limits, false, 64, 1_048_576)).toBe('none');
  });

  it('resumes only once both have drained to a quarter, so a socket on the edge does not flap', () => {
    expect(backpressureAction(limits, true, 40, 0)).toBe('none');
    expect(backpressureAction(limits, true, 16, 300_000)).toBe('none');
    expect(backpressureAction(limits, true, 16, 262_144)).toBe('resume');
  });
});

describe(admitConnection.name, () => {
  it('admits below the limit and refuses at it with a retry delay between one and two times the base', () => {
    expect(admitConnection(limits, 1)).toEqual({ admitted: true });
    expect(admitConnection(limits, 2, () => 0)).toEqual({ admitted: false, retryAfterMs: 1_000 });
    expect(admitConnection(limits, 5, () => 0.999)).toEqual({ admitted: false, retryAfterMs: 1_999 });
  });
});

describe(admitTransport.name, () => {
  it('lets transports open past the connection limit by a headroom, so their clients can be told to wait', () => {
    expect(transportHeadroom(limits)).toBe(100);
    expect(admitTransport(limits, 101)).toBe(true);
    expect(admitTransport(limits, 102)).toBe(false);
  });

  it('scales the headroom with a large limit', () => {
    const large = { ...limits, maxConnections: 10_000 };
    expect(transportHeadroom(large)).toBe(1_000);
    expect(admitTransport(large, 10_999)).toBe(true);
    expect(admitTransport(large, 11_000)).toBe(false);
  });
});

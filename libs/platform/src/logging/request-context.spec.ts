import { currentRequestId, requestIdFrom, runWithRequestId } from './request-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe(requestIdFrom.name, () => {
  it("keeps a caller's safe X-Request-Id, else its X-Correlation-Id", () => {
    expect(requestIdFrom({ 'x-request-id': 'lb-1234.abcd' })).toBe('lb-1234.abcd');
    expect(requestIdFrom({ 'x-correlation-id': 'Root=1-5759e988-bd862e3fe1be46a994272793' })).toBe(
      'Root=1-5759e988-bd862e3fe1be46a994272793',
    );
    expect(requestIdFrom({ 'x-request-id': ['first', 'second'] })).toBe('first');
  });

  it('replaces a missing, long or unsafe id with a new UUID', () => {
    expect(requestIdFrom({})).toMatch(UUID);
    expect(requestIdFrom({ 'x-request-id': 'x'.repeat(129) })).toMatch(UUID);
    expect(requestIdFrom({ 'x-request-id': 'forged\nERROR admin logged in' })).toMatch(UUID);
    expect(requestIdFrom({ 'x-correlation-id': '\u001b[31mred' })).toMatch(UUID);
    expect(requestIdFrom({ 'x-request-id': 'has space' })).toMatch(UUID);
  });
});

describe(runWithRequestId.name, () => {
  it('keeps the id across awaits and only inside the run', async () => {
    const seen = await runWithRequestId('req-9', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentRequestId();
    });
    expect(seen).toBe('req-9');
    expect(currentRequestId()).toBeUndefined();
  });
});

import { ProcessLogger, colorsAllowed, levelsFrom } from './process-logger';
import { runWithRequestId } from './request-context';

describe(ProcessLogger.name, () => {
  let written: string[];
  let write: jest.SpyInstance;

  beforeEach(() => {
    written = [];
    write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(() => write.mockRestore());

  it('writes one JSON object per line, with the request id inside a request', () => {
    const sut = new ProcessLogger('stockwall-api', { level: 'log', format: 'json' }, { isTTY: true });

    sut.log('outside', 'Test');
    runWithRequestId('req-1', () => sut.log('inside', 'Test'));

    const lines = written.join('').trim().split('\n');
    expect(lines).toHaveLength(2);
    const [outside, inside] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(outside).toMatchObject({ level: 'log', message: 'outside', context: 'Test' });
    expect(outside).not.toHaveProperty('requestId');
    expect(inside).toMatchObject({ level: 'log', message: 'inside', context: 'Test', requestId: 'req-1' });
  });

  it('writes text with the request id and no colour codes when the stream is not a terminal', () => {
    const sut = new ProcessLogger('stockwall-worker', { level: 'log', format: 'text' }, { isTTY: false });

    runWithRequestId('req-2', () => sut.warn('careful', 'Test'));

    const line = written.join('');
    expect(line).toContain('[Test] [request req-2] careful');
    expect(line).toContain('stockwall-worker');
    expect(line).not.toContain('\u001b[');
  });

  it('writes nothing below LOG_LEVEL', () => {
    const sut = new ProcessLogger('stockwall-api', { level: 'warn', format: 'json' }, { isTTY: false });

    sut.log('dropped');
    sut.debug('dropped');
    sut.warn('kept');

    expect(written.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual(['kept']);
  });
});

describe(colorsAllowed.name, () => {
  it('allows colour only on a terminal without NO_COLOR', () => {
    expect(colorsAllowed({ isTTY: true }, {})).toBe(true);
    expect(colorsAllowed({ isTTY: false }, {})).toBe(false);
    expect(colorsAllowed({}, {})).toBe(false);
    expect(colorsAllowed({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorsAllowed({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
});

describe(levelsFrom.name, () => {
  it('includes every level more severe than the one named', () => {
    expect(levelsFrom('warn')).toEqual(['fatal', 'error', 'warn']);
    expect(levelsFrom('verbose')).toHaveLength(6);
  });
});

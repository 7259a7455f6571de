import { escapeControlCharacters, escapeForLog } from './log-text';
import { ProcessLogger } from './process-logger';

describe(escapeForLog.name, () => {
  it.each([
    ['a newline', 'ok\n[Nest] 1 - ERROR forged', 'ok\\n[Nest] 1 - ERROR forged'],
    ['a carriage return', 'a\rb', 'a\\rb'],
    ['an ANSI escape', '\u001b[31mred', '\\u001b[31mred'],
    ['a NUL', 'a\u0000b', 'a\\u0000b'],
    ['a bidi override', 'abc\u202Edef', 'abc\\u202edef'],
    ['a line separator', 'a\u2028b', 'a\\u2028b'],
  ])('escapes %s', (_, text, expected) => {
    expect(escapeForLog(text)).toBe(expected);
  });

  it('cuts long input and says how long it was', () => {
    expect(escapeForLog('x'.repeat(500), 10)).toBe(`${'x'.repeat(10)}…(500 chars)`);
  });

  it('leaves ordinary text alone', () => {
    expect(escapeControlCharacters('GET /api/v1/stock?limit=5 — ok')).toBe('GET /api/v1/stock?limit=5 — ok');
  });
});

describe(ProcessLogger.name, () => {
  it('writes a message with control characters on one text line', () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      new ProcessLogger('test', { level: 'log', format: 'text' }, { isTTY: false }).log('bad\ninput\u001b[2J', 'Ctx');
    } finally {
      spy.mockRestore();
    }
    const output = written.join('');
    expect(output.trimEnd().split('\n')).toHaveLength(1);
    expect(output).toContain('bad\\ninput\\u001b[2J');
  });
});

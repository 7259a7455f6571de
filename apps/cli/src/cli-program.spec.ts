import { CommanderError } from 'commander';
import { buildProgram } from './cli-program';

/** Parses argv without running a command: every action is replaced by a recorder. */
function parse(argv: string[]) {
  const printed = { out: '', err: '' };
  const program = buildProgram({
    writeOut: (text) => (printed.out += text),
    writeErr: (text) => (printed.err += text),
  });
  const calls: { command: string; args: unknown[] }[] = [];
  for (const command of program.commands) {
    command.action((...args: unknown[]) => {
      calls.push({ command: command.name(), args: args.slice(0, -1) });
    });
  }
  let error: CommanderError | undefined;
  try {
    program.parse(argv, { from: 'user' });
  } catch (caught) {
    if (!(caught instanceof CommanderError)) throw caught;
    error = caught;
  }
  return { printed, calls, error };
}

const COMMANDS = [
  'token',
  'simulate',
  'replay',
  'demo',
  'reconcile',
  'rebuild-live',
  'lead-times',
  'bench',
  'chaos',
  'secret',
  'revoke',
];

describe(buildProgram.name, () => {
  it('answers --help with every command, exit 0', () => {
    const { printed, error } = parse(['--help']);
    expect(error?.exitCode).toBe(0);
    expect(printed.out).toMatch(/^Usage: npm run cli -- <command> \[options\]/);
    for (const name of COMMANDS) expect(printed.out).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it.each(COMMANDS)('answers "%s --help" with its own usage and options', (name) => {
    const { printed, error } = parse([name, '--help']);
    expect(error?.exitCode).toBe(0);
    expect(printed.out).toMatch(new RegExp(`^Usage: npm run cli -- ${name} `));
    expect(printed.out).toContain('-h, --help');
  });

  it('prints the version from package.json', () => {
    const { printed, error } = parse(['--version']);
    expect(error?.exitCode).toBe(0);
    expect(printed.out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('refuses an unknown command in one line followed by the usage', () => {
    const { printed, error } = parse(['tokn']);
    expect(error?.exitCode).not.toBe(0);
    const [first, ...rest] = printed.err.split('\n');
    expect(first).toBe("error: unknown command 'tokn'");
    expect(rest.join('\n')).toContain('Usage: npm run cli -- <command> [options]');
  });

  it.each([
    [['token', '--role', 'root'], /argument 'root' is invalid/],
    [['token'], /required option '--role <role>' not specified/],
    [['token', '--role', 'viewer', '--colour'], /unknown option '--colour'/],
    [['replay', 'data.csv', '--format', 'xml'], /argument 'xml' is invalid/],
    [['replay', 'data.csv', '--format', 'cafe', '--rate', '5', '--max'], /cannot be used with option '--max'/],
    [['replay', '--format', 'cafe'], /missing required argument 'path'/],
    [['simulate'], /required option '--rate <events\/s>' not specified/],
    [['reconcile', 'extra'], /too many arguments/],
  ])('refuses %j', (argv, message) => {
    const { printed, calls, error } = parse(argv);
    expect(error?.exitCode).not.toBe(0);
    expect(printed.err.split('\n')[0]).toMatch(message);
    expect(calls).toEqual([]);
  });

  it('hands each command its typed options, defaults and negations included', () => {
    expect(parse(['token', '--role', 'admin']).calls).toEqual([
      { command: 'token', args: [{ role: 'admin', ttl: '12h' }] },
    ]);
    expect(parse(['replay', 'dir', '--format', 'cafe', '--max', '--no-import-check']).calls).toEqual([
      {
        command: 'replay',
        args: [
          'dir',
          {
            format: 'cafe',
            max: true,
            importCheck: false,
            openingStock: '100',
            reorderPoint: '10',
            costPercent: '60',
          },
        ],
      },
    ]);
    expect(parse(['reconcile', '--no-recompute']).calls).toEqual([
      { command: 'reconcile', args: [{ wait: '0', quiet: false, recompute: false }] },
    ]);
    expect(parse(['chaos', '--quick', '--no-faults']).calls[0].args).toEqual([
      { seed: '42', quick: true, faults: false },
    ]);
  });
});

import { ChildProcess, spawn } from 'node:child_process';
import { stopChildren } from './demo.command';

/** A node child that has installed its handlers (or none) before the test signals it. */
async function child(script: string): Promise<ChildProcess> {
  const program = `${script}; process.stdout.write('ready\\n'); setInterval(() => {}, 1000);`;
  const spawned = spawn(process.execPath, ['-e', program], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve) => spawned.stdout.once('data', resolve));
  return spawned;
}

describe(stopChildren.name, () => {
  beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('lets children that honour SIGTERM exit on their own', async () => {
    const children = [await child(''), await child('')];
    const started = Date.now();

    await stopChildren(children, 5_000);

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(children.map((entry) => entry.signalCode)).toEqual(['SIGTERM', 'SIGTERM']);
    expect(console.error).not.toHaveBeenCalled();
  });

  it('sends SIGKILL to a child still running after the grace period', async () => {
    const hung = await child("process.on('SIGTERM', () => undefined)");
    const polite = await child('');
    const started = Date.now();

    await stopChildren([hung, polite], 300);

    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(hung.signalCode).toBe('SIGKILL');
    expect(polite.signalCode).toBe('SIGTERM');
    expect(console.error).toHaveBeenCalledTimes(1);
  });

  it('returns at once for a child that already ended by a signal', async () => {
    const ended = await child('');
    ended.kill('SIGKILL');
    await new Promise((resolve) => ended.once('exit', resolve));

    await stopChildren([ended], 60_000);

    expect(ended.signalCode).toBe('SIGKILL');
  });
});

import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { collectOutput } from './child-output';

const ROOT = path.resolve(__dirname, '..', '..');
const REGISTER = path.join(__dirname, 'ts-register.js');
const MAIN = path.join(ROOT, 'apps/worker/src/main.ts');

/**
 * A real worker process (the app's main.ts, compiled on load by SWC: no build step), so tests
 * can kill -9 it or SIGTERM it like an orchestrator would.
 */
export class WorkerProcess {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  private readonly child: ChildProcess;

  constructor(
    readonly name: string,
    env: Record<string, string>,
  ) {
    // WORKER_NODE_ARGS: extra node flags for profiling, e.g. `--cpu-prof --cpu-prof-dir=/tmp/profiles`.
    const nodeArgs = (process.env.WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    this.child = spawn(process.execPath, [...nodeArgs, '-r', REGISTER, MAIN], {
      cwd: ROOT,
      env: { ...process.env, ...env, WORKER_ID: name },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    collectOutput(this.child, this.output);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends the signal and waits for the exit; resolves with how long the process took to go. */
  async kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
    const sentAt = Date.now();
    if (this.running) this.child.kill(signal);
    const exit = await this.exited;
    return { code: exit.code, signal: exit.signal, ms: exit.at - sentAt };
  }

  /** Waits for a line of output matching `pattern`. */
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const line = this.output.find((candidate) => pattern.test(candidate));
      if (line) return line;
      if (!this.running) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${this.name} never logged ${pattern}; last output:\n${this.output.slice(-20).join('\n')}`);
  }
}

import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { findFreePort } from '@stockwall/local-stack';
import { collectOutput } from './child-output';

const ROOT = path.resolve(__dirname, '..', '..');
const REGISTER = path.join(__dirname, 'ts-register.js');
const MAIN = path.join(ROOT, 'apps/api/src/main.ts');

/**
 * A real API process (the app's main.ts, compiled on load by SWC), on a free port, so tests see
 * what an orchestrator sees: whether it starts, what it logs, how it answers.
 */
export class ApiProcess {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  private constructor(
    readonly url: string,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, ['-r', REGISTER, MAIN], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    collectOutput(this.child, this.output);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Starts the API with `env` (PORT is chosen here) and waits until it answers /health/live. */
  static async start(env: Record<string, string>, timeoutMs = 30_000): Promise<ApiProcess> {
    const port = await findFreePort();
    const api = new ApiProcess(`http://127.0.0.1:${port}`, { ...env, PORT: String(port) });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && api.running) {
      const answered = await fetch(`${api.url}/health/live`).then(
        (response) => response.ok,
        () => false,
      );
      if (answered) return api;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await api.stop();
    throw new Error(`The API never answered on ${api.url}; last output:\n${api.output.slice(-20).join('\n')}`);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(): Promise<void> {
    if (this.running) this.child.kill('SIGTERM');
    await this.exited;
  }
}

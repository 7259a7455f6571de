import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { collectOutput, waitUntilLive } from '../../test/support/child-output';
import type { MemoryProbeReply } from './memory-probe';

const ROOT = path.resolve(__dirname, '..', '..');

/** A real API process, as in the tests, started with --expose-gc and the memory probe. */
export class ProbedApiProcess {
  readonly output: string[] = [];
  readonly url: string;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;

  /** `apiRoot`: the tree whose apps/api/src/main.ts runs (another version's, to compare in one run). */
  constructor(port: number, env: Record<string, string>, apiRoot = ROOT) {
    this.url = `http://127.0.0.1:${port}`;
    this.child = spawn(
      process.execPath,
      [
        '--expose-gc',
        '-r',
        path.join(ROOT, 'test/support/ts-register.js'),
        '-r',
        path.join(__dirname, 'memory-probe.ts'),
        path.join(apiRoot, 'apps/api/src/main.ts'),
      ],
      {
        cwd: ROOT,
        // A tree outside the repository still finds the repository's packages.
        env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), ...env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    );
    collectOutput(this.child, this.output);
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  get pid(): number {
    return this.child.pid!;
  }

  async ready(timeoutMs = 60_000): Promise<void> {
    await waitUntilLive(this.url, this.child, this.output, timeoutMs, 'API');
  }

  /** Memory after a full GC in the API process. */
  measure(): Promise<MemoryProbeReply> {
    return new Promise((resolve) => {
      this.child.once('message', (reply) => resolve(reply as MemoryProbeReply));
      this.child.send('measure');
    });
  }

  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

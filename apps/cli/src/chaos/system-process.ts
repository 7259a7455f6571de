import { ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { killOnExit } from './private-services';

export type AppName = 'worker' | 'api';

/** The checkout's root: the folder above this file holding package.json and apps/. */
export function projectRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'apps'))) return dir;
  }
  throw new Error('The chaos run must be started from a Stockwall checkout');
}

/**
 * How to start an app: the built one (`dist/apps/<app>/src/main.js`) when this code runs built, the
 * TypeScript sources compiled on load (the tests' SWC hook) when it runs from source under Jest.
 */
function commandFor(app: AppName): string[] {
  const root = projectRoot();
  if (__filename.endsWith('.ts')) {
    return ['-r', path.join(root, 'test/support/ts-register.js'), path.join(root, `apps/${app}/src/main.ts`)];
  }
  const built = path.resolve(__dirname, `../../../${app}/src/main.js`);
  if (!existsSync(built)) throw new Error(`${built} is missing: npm run build:server`);
  return [built];
}

/** A worker or API process of the run, which the scenario can SIGKILL or SIGTERM and start again. */
export class SystemProcess {
  private child: ChildProcess | null = null;
  private exitedAt: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }> | null = null;
  readonly output: string[] = [];
  starts = 0;

  constructor(
    readonly name: string,
    readonly app: AppName,
    private readonly env: Record<string, string>,
    /** Every line the process writes is also appended to this file (kept after the run). */
    private readonly logFile: string,
  ) {}

  start(extraEnv: Record<string, string> = {}): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    const child = spawn(process.execPath, commandFor(this.app), {
      cwd: projectRoot(),
      env: { ...process.env, ...this.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    killOnExit(child);
    const collect = (chunk: Buffer) => {
      appendFileSync(this.logFile, chunk);
      this.output.push(...chunk.toString().split('\n').filter(Boolean));
      if (this.output.length > 300) this.output.splice(0, this.output.length - 300);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    this.exitedAt = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
    );
    this.child = child;
    this.starts++;
    appendFileSync(this.logFile, `--- ${new Date().toISOString()} start ${this.starts} (pid ${child.pid})\n`);
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Sends the signal and waits for the exit; resolves with how it ended and how long that took. */
  async kill(
    signal: NodeJS.Signals,
    timeoutMs = 30_000,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
    const child = this.child;
    if (!child || !this.exitedAt) throw new Error(`${this.name} was never started`);
    const sentAt = Date.now();
    if (this.running) child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      this.exitedAt,
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (!exit) {
      child.kill('SIGKILL');
      const forced = await this.exitedAt;
      return { code: forced.code, signal: forced.signal, ms: forced.at - sentAt };
    }
    return { code: exit.code, signal: exit.signal, ms: exit.at - sentAt };
  }

  /** The last lines the process wrote, for a failure message. */
  tail(lines = 15): string {
    return this.output.slice(-lines).join('\n');
  }
}

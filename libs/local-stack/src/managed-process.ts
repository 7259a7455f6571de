import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { LocalStackError } from './local-stack-error';

// Service binaries live in sbin on Debian, which is not on a normal user's PATH.
const FALLBACK_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Full path of an executable found on PATH or in the usual system directories. */
export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...FALLBACK_DIRS];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function makeTempDir(prefix: string): Promise<string> {
  // Kept short: a unix socket path inside it must stay under ~100 bytes.
  return mkdtemp(join(tmpdir(), `${prefix}-`));
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Last non-empty lines of a log file, joined into one line for an error message. */
export function tailOfFile(path: string, lines = 2): string {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .slice(-lines)
      .join(' | ');
  } catch {
    return '';
  }
}

const exitCleanups = new Set<() => void>();
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function runExitCleanups(): void {
  for (const cleanup of [...exitCleanups]) {
    try {
      cleanup();
    } catch {
      // keep cleaning the others
    }
  }
  exitCleanups.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  // We run first (prepended), so every other handler is still registered here. If there is one, it owns
  // the signal and decides when to exit (maybe after stopping services gracefully); the exit hook runs then.
  if (process.listenerCount(signal) > 1) return;
  runExitCleanups();
  unhookProcess();
  // Re-raise so the process ends the way it would have without us.
  process.kill(process.pid, signal);
}

function hookProcess(): void {
  if (exitCleanups.size > 0) return;
  process.on('exit', runExitCleanups);
  for (const signal of signals) process.prependListener(signal, onSignal);
}

function unhookProcess(): void {
  process.removeListener('exit', runExitCleanups);
  for (const signal of signals) process.removeListener(signal, onSignal);
}

/** Runs cleanup synchronously if the process exits (or dies from SIGINT/SIGTERM/SIGHUP) first. */
export function onProcessExit(cleanup: () => void): () => void {
  hookProcess();
  exitCleanups.add(cleanup);
  return () => {
    exitCleanups.delete(cleanup);
    if (exitCleanups.size === 0) unhookProcess();
  };
}

export interface ManagedProcess {
  readonly child: ChildProcess;
  /** Exit code or signal once the process has ended, undefined while it runs. */
  exitStatus(): string | undefined;
  /** Ends the process (SIGTERM, then SIGKILL after graceMs) and removes its directory. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartProcessOptions {
  command: string;
  args: string[];
  /** Private directory of this instance; removed on stop and on exit. */
  dir: string;
  /** File that receives stdout and stderr. */
  logFile: string;
}

/**
 * Starts a long-running child that dies with this process. The child does not keep the event loop alive,
 * so a script that forgets stop() still ends, and the exit hook kills the child then.
 */
export function startProcess(options: StartProcessOptions): ManagedProcess {
  const fd = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    // Own process group: Ctrl-C in a terminal reaches only us, and we stop the child when it suits us.
    child = spawn(options.command, options.args, { cwd: options.dir, stdio: ['ignore', fd, fd], detached: true });
  } finally {
    closeSync(fd);
  }
  let status: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      status = signal ? `signal ${signal}` : `code ${code}`;
      resolve();
    });
    child.once('error', (error) => {
      status ??= error.message;
      resolve();
    });
  });
  child.unref();

  const removeHook = onProcessExit(() => {
    if (status === undefined) child.kill('SIGKILL');
    rmSync(options.dir, { recursive: true, force: true });
  });

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 10_000): Promise<void> => {
    stopping ??= (async () => {
      if (status === undefined) {
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          exited.then(() => false),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs))),
        ]);
        clearTimeout(timer);
        if (timedOut) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      removeHook();
      await rm(options.dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  return { child, exitStatus: () => status, stop };
}

export interface WaitForReadyOptions {
  what: string;
  process: ManagedProcess;
  /** Resolves true once the service answers; errors count as not yet. */
  isReady: () => Promise<boolean>;
  timeoutMs: number;
  /** Log to quote when the process dies or never answers. */
  logFile: string;
}

/** Polls until the service answers; fails fast with the log's last lines if the process dies. */
export async function waitForReady(options: WaitForReadyOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const status = options.process.exitStatus();
    if (status !== undefined) {
      const tail = tailOfFile(options.logFile);
      throw new LocalStackError(
        'start_failed',
        `${options.what} exited (${status}) while starting${tail ? `: ${tail}` : ''}`,
      );
    }
    if (await options.isReady().catch(() => false)) return;
    if (Date.now() > deadline) {
      await options.process.stop(2_000);
      const tail = tailOfFile(options.logFile);
      throw new LocalStackError(
        'start_timeout',
        `${options.what} did not answer within ${options.timeoutMs / 1000} s${tail ? `: ${tail}` : ''}`,
      );
    }
    await delay(100);
  }
}

/** Runs a command to completion, its output going to logFile; rejects with the log's tail on failure. */
export function runToCompletion(command: string, args: string[], logFile: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fd = openSync(logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(command, args, { stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    const killOnExit = onProcessExit(() => child.kill('SIGKILL'));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const fail = (reason: string): void => {
      const tail = tailOfFile(logFile);
      reject(new LocalStackError('start_failed', `${command} ${reason}${tail ? `: ${tail}` : ''}`));
    };
    child.once('error', (error) => {
      clearTimeout(timer);
      killOnExit();
      fail(`could not run (${error.message})`);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      killOnExit();
      if (code === 0) resolve();
      else if (timedOut) fail(`did not finish within ${timeoutMs / 1000} s`);
      else fail(signal ? `was killed (${signal})` : `failed with code ${code}`);
    });
  });
}

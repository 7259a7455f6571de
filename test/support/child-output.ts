import type { ChildProcess } from 'node:child_process';

/** Keeps the last `keep` lines a child process writes to stdout and stderr in `lines`. */
export function collectOutput(child: ChildProcess, lines: string[], keep = 400): void {
  const collect = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    if (lines.length > keep) lines.splice(0, lines.length - keep);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
}

/**
 * Polls `url`/health/live every 100 ms until it answers 200, the child exits or `timeoutMs` passes;
 * then throws with the child's last output, naming it `label`.
 */
export async function waitUntilLive(
  url: string,
  child: ChildProcess,
  output: readonly string[],
  timeoutMs: number,
  label: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/health/live`)).ok) return;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${label} never became ready:\n${output.slice(-20).join('\n')}`);
}

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

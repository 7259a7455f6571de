import type { ReplayProgress } from './replay-runner';

/** A one-line progress bar on stderr: share done, rows, events, rate and ETA. */
export class ProgressBar {
  private lastDraw = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly started = Date.now(),
  ) {}

  update(progress: ReplayProgress, force = false): void {
    const now = Date.now();
    const interactive = this.stream.isTTY;
    if (!force && now - this.lastDraw < (interactive ? 200 : 5_000)) return;
    this.lastDraw = now;
    this.stream.write(
      `${interactive ? '\r' : ''}${formatProgress(progress, now - this.started)}${interactive ? '' : '\n'}`,
    );
  }

  finish(progress: ReplayProgress): void {
    this.update(progress, true);
    if (this.stream.isTTY) this.stream.write('\n');
  }
}

export function formatProgress(progress: ReplayProgress, elapsedMs: number, width = 30): string {
  const done = Math.min(Math.max(progress.done, 0), 1);
  const filled = Math.round(done * width);
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? progress.eventsSent / seconds : 0;
  const eta = done > 0 && done < 1 ? (seconds / done) * (1 - done) : 0;
  return (
    `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(done * 100).toFixed(1).padStart(5)}% ` +
    `${progress.rowsRead} rows, ${progress.eventsSent} events, ${rate.toFixed(0)} events/s, ETA ${formatDuration(eta)}`
  );
}

function formatDuration(seconds: number): string {
  const whole = Math.ceil(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

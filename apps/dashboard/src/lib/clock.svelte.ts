/** A reactive wall clock for relative times ("updated 4s ago"). */
export class Clock {
  now = $state(Date.now());

  /** Ticks every `intervalMs`; the returned function stops it. */
  start(intervalMs = 1_000): () => void {
    this.now = Date.now();
    const timer = setInterval(() => (this.now = Date.now()), intervalMs);
    return () => clearInterval(timer);
  }
}

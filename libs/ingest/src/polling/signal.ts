/** Wakes every waiter when something changed; waiters re-check their condition after waking. */
export class Signal {
  private waiters: (() => void)[] = [];

  wait(timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = timeoutMs === undefined ? null : setTimeout(wake, timeoutMs);
      const waiters = this.waiters;
      function wake() {
        if (timer) clearTimeout(timer);
        resolve();
      }
      waiters.push(wake);
    });
  }

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

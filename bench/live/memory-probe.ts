/**
 * Loaded with `-r` into the benchmarked API process (started with --expose-gc): on a `measure`
 * message from the bench it collects garbage and answers with the process's memory use, so the
 * bench compares heap after GC as well as RSS. The IPC channel does not keep the process alive.
 */
interface MemoryProbeReply {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

const collect = (globalThis as { gc?: () => void }).gc;

process.on('message', (message: unknown) => {
  if (message !== 'measure' || !process.send) return;
  // Twice: the first pass can leave objects only the second finds unreachable (weak references, finalizers).
  collect?.();
  collect?.();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  const reply: MemoryProbeReply = { rss, heapUsed, external, arrayBuffers };
  process.send(reply);
});
process.channel?.unref();

export type { MemoryProbeReply };

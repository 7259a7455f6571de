/** A service the code can talk to: either one that was already running, or a private one started for us. */
export interface LocalService {
  url: string;
  /** True when a private instance was started; stop() then ends it and removes its files. */
  started: boolean;
  /** Why a private instance was started (what was wrong with the configured one). */
  reason?: string;
  stop(): Promise<void>;
  /** Private instances that support it: stop the server but keep its data (fault tests). */
  stopServer?(): Promise<void>;
  /** Start a server stopped by stopServer again, on the same port with the same data. */
  startServer?(): Promise<void>;
}

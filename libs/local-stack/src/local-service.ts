/** A service the code can talk to: either one that was already running, or a private one started for us. */
export interface LocalService {
  url: string;
  /** True when a private instance was started; stop() then ends it and removes its files. */
  started: boolean;
  /** Why a private instance was started (what was wrong with the configured one). */
  reason?: string;
  stop(): Promise<void>;
}

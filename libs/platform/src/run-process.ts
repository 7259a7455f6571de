import { Logger } from '@nestjs/common';
import { ConfigError, DependencyUnavailableError } from '@stockwall/config';

/**
 * Runs an entrypoint: configuration and dependency problems print one line and exit 1;
 * anything else is a bug and keeps its stack trace.
 */
export function runProcess(name: string, main: () => Promise<void>): void {
  // The AWS SDK's notice concerns its future releases; the versions locked here support Node 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main().catch((error: unknown) => {
    if (error instanceof DependencyUnavailableError || error instanceof ConfigError) {
      process.stderr.write(`${name}: ${error.message}\n`);
    } else {
      new Logger(name).error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    process.exit(1);
  });
}

/**
 * SIGTERM/SIGINT: close the Nest container first (workers finish their batch in flight and
 * release their leases), then the connections it used, then exit.
 */
export function closeOnSignals(app: { close(): Promise<void> }, infrastructure: { close(): Promise<void> }): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    new Logger('Shutdown').log(`${signal}: shutting down`);
    app
      .close()
      .then(() => infrastructure.close())
      .then(() => process.exit(0))
      .catch((error: Error) => {
        new Logger('Shutdown').error(error.message);
        process.exit(1);
      });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
